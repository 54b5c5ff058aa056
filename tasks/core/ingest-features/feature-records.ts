/**
 * Turns a gold customer-features CSV (header: customer_id, event_time, then the customer features)
 * into Feature Store records. Rows that cannot become a record are returned as rejections with
 * the reason, so they are reported like failed writes rather than silently dropped.
 */
import type { FeatureValue } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { CUSTOMER_EVENT_TIME, CUSTOMER_FEATURES, CUSTOMER_RECORD_ID } from '../../../workflow/features.js';
import { CsvSyntaxError, parseCsv } from '../shared/csv-records.js';

export const FEATURE_FILE_COLUMNS = [CUSTOMER_RECORD_ID, CUSTOMER_EVENT_TIME, ...CUSTOMER_FEATURES.map((feature) => feature.name)] as const;

export interface FeatureRecordRow {
  line: number;
  recordIdentifier: string;
  record: FeatureValue[];
}

export interface RejectedFeatureRow {
  line: number;
  recordIdentifier: string | null;
  error: 'InvalidFeatureRow';
  message: string;
}

export interface ParsedFeatureFile {
  records: FeatureRecordRow[];
  rejected: RejectedFeatureRow[];
}

/** Thrown when the file as a whole cannot be read as customer features (header, quoting). */
export class FeatureFileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeatureFileFormatError';
  }
}

export function parseFeatureFile(text: string, defaultEventTime: string): ParsedFeatureFile {
  let parsed;
  try {
    parsed = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new FeatureFileFormatError(`malformed CSV at ${error.message}`);
    throw error;
  }
  if (parsed.unterminatedQuoteLine !== null) {
    throw new FeatureFileFormatError(`the quoted field opened on line ${parsed.unterminatedQuoteLine} is never closed`);
  }
  const [header, ...rows] = parsed.records;
  const expected = FEATURE_FILE_COLUMNS.join(',');
  if (!header) throw new FeatureFileFormatError(`the file is empty: expected the header ${expected}`);
  if (header.fields.join(',') !== expected) {
    throw new FeatureFileFormatError(`the header is ${JSON.stringify(header.fields.join(','))}: expected ${expected}`);
  }

  const result: ParsedFeatureFile = { records: [], rejected: [] };
  // A file holds few distinct event times (one per week), so normalise each once.
  const eventTimes = new Map<string, string | null>();
  const normalisedEventTime = (value: string) => {
    if (!eventTimes.has(value)) eventTimes.set(value, featureStoreEventTime(value));
    return eventTimes.get(value)!;
  };
  for (const row of rows) {
    const reject = (recordIdentifier: string | null, message: string) =>
      result.rejected.push({ line: row.line, recordIdentifier, error: 'InvalidFeatureRow', message });
    if (row.fields.length !== FEATURE_FILE_COLUMNS.length) {
      reject(null, `line ${row.line} has ${row.fields.length} fields: expected ${FEATURE_FILE_COLUMNS.length}`);
      continue;
    }
    const [customerId, rowEventTime] = row.fields as [string, string, ...string[]];
    if (customerId.trim() === '') {
      reject(null, `line ${row.line}: ${CUSTOMER_RECORD_ID} is empty: expected a customer code`);
      continue;
    }
    const eventTime = normalisedEventTime(rowEventTime.trim() || defaultEventTime);
    if (eventTime === null) {
      reject(customerId, `line ${row.line}: ${CUSTOMER_EVENT_TIME} = ${JSON.stringify(rowEventTime)} is not a time: expected ISO 8601 like 2026-01-31T00:00:00Z`);
      continue;
    }
    const record: FeatureValue[] = [
      { FeatureName: CUSTOMER_RECORD_ID, ValueAsString: customerId },
      { FeatureName: CUSTOMER_EVENT_TIME, ValueAsString: eventTime },
    ];
    const problems: string[] = [];
    CUSTOMER_FEATURES.forEach((feature, index) => {
      const value = row.fields[index + 2]!.trim();
      // Feature Store records may omit features: an empty value means "no history yet".
      if (value === '') return;
      const valid = feature.type === 'Integral' ? /^-?\d+$/.test(value) : Number.isFinite(Number(value));
      if (!valid) problems.push(`${feature.name} = ${JSON.stringify(value)} is not ${feature.type === 'Integral' ? 'an integer' : 'a number'}`);
      else record.push({ FeatureName: feature.name, ValueAsString: value });
    });
    if (problems.length > 0) reject(customerId, `line ${row.line}: ${problems.join(', ')}`);
    else result.records.push({ line: row.line, recordIdentifier: customerId, record });
  }
  return result;
}

/**
 * Feature Store accepts event times as ISO 8601 `yyyy-MM-ddTHH:mm:ssZ` (optionally with
 * milliseconds) or as epoch seconds; SQL engines print timestamps as `2026-01-31 00:00:00`.
 */
export function featureStoreEventTime(value: string): string | null {
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  const dateTime = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value.replace(' ', 'T');
  const withZone = /[zZ]$|[+-]\d{2}:?\d{2}$/.test(dateTime) ? dateTime : `${dateTime}Z`;
  const millis = Date.parse(withZone);
  if (Number.isNaN(millis)) return null;
  return new Date(millis).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
