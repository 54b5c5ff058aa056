/**
 * Reads the feature values out of inference-log items (DynamoDB AttributeValue shapes, as /predict
 * writes them: `timestamp` and `features`). `features` may be a map of name → number, a list in
 * the order of the model's feature list, or a JSON string of either; values are `N` (or `NULL`
 * for a missing value). Items that carry no usable features are counted, not fatal.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export interface InferenceFeatureRow {
  timestampMs: number;
  values: Record<string, number | undefined>;
}

export const INFERENCE_TIMESTAMP_ATTRIBUTE = 'timestamp';
export const INFERENCE_FEATURES_ATTRIBUTE = 'features';

/** Epoch milliseconds of an item's timestamp: ISO-8601 string, or epoch seconds/milliseconds number. */
export function inferenceTimestampMs(value: AttributeValue | undefined): number | undefined {
  if (value?.S !== undefined) {
    const parsed = Date.parse(value.S);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  if (value?.N !== undefined) {
    const number = Number(value.N);
    if (!Number.isFinite(number)) return undefined;
    // Epoch seconds stay below 1e12 until the year 33658.
    return number < 1e12 ? number * 1000 : number;
  }
  return undefined;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object') {
    const attribute = value as AttributeValue;
    if (attribute.N !== undefined) return Number(attribute.N);
    if (attribute.S !== undefined && attribute.S.trim() !== '') return Number(attribute.S);
  }
  return undefined;
}

/** Feature values of one item keyed by feature name, or undefined when the item has none. */
export function inferenceFeatureValues(item: Record<string, AttributeValue>, featureNames: readonly string[]): Record<string, number | undefined> | undefined {
  let features: unknown = item[INFERENCE_FEATURES_ATTRIBUTE];
  if (features === undefined) return undefined;
  const attribute = features as AttributeValue;
  if (attribute.S !== undefined) {
    try {
      features = JSON.parse(attribute.S);
    } catch {
      return undefined;
    }
  } else if (attribute.M !== undefined) {
    features = attribute.M;
  } else if (attribute.L !== undefined) {
    features = attribute.L;
  }
  if (Array.isArray(features)) {
    if (features.length !== featureNames.length) return undefined;
    return Object.fromEntries(featureNames.map((name, index) => [name, numberOf(features[index])]));
  }
  if (features && typeof features === 'object') {
    const byName = features as Record<string, unknown>;
    return Object.fromEntries(featureNames.map((name) => [name, numberOf(byName[name])]));
  }
  return undefined;
}

export interface InferenceSelection {
  rows: InferenceFeatureRow[];
  /** Items inside the window whose features could not be read. */
  unreadable: number;
}

/** Keeps the items logged in [sinceMs, untilMs) and reads their features. */
export function selectInferenceRows(
  items: Iterable<Record<string, AttributeValue>>,
  featureNames: readonly string[],
  sinceMs: number,
  untilMs: number,
): InferenceSelection {
  const rows: InferenceFeatureRow[] = [];
  let unreadable = 0;
  for (const item of items) {
    const timestampMs = inferenceTimestampMs(item[INFERENCE_TIMESTAMP_ATTRIBUTE]);
    if (timestampMs === undefined || timestampMs < sinceMs || timestampMs >= untilMs) continue;
    const values = inferenceFeatureValues(item, featureNames);
    if (values) rows.push({ timestampMs, values });
    else unreadable += 1;
  }
  return { rows, unreadable };
}
