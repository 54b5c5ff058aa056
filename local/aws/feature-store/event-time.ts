/** Feature Store event times: Fractional = seconds since the epoch, String = ISO 8601. */
import { RequestValidator, SERVICE_VALIDATION } from '../request-validation.js';
import type { FeatureType } from './feature-group-store.js';

const runtime = new RequestValidator(SERVICE_VALIDATION.featureStoreRuntime);

/** Epoch milliseconds of an event time value, or a ValidationError naming the value. */
export function parseEventTime(value: string, type: FeatureType, featureName: string): number {
  const ms = type === 'Fractional' ? Number(value) * 1000 : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    const expected = type === 'Fractional' ? 'seconds since the epoch, e.g. 1700000000.5' : "ISO 8601 like 2024-01-31T12:00:00Z";
    throw runtime.error(`Invalid value ${JSON.stringify(value)} for event time feature ${featureName}: expected ${expected}`);
  }
  return ms;
}
