/**
 * The core of IngestFeatures: one Distributed Map batch of gold customer-feature files written to
 * the feature store with PutRecord, a bounded number of calls in flight, throttling retried with
 * backoff, and every record that still fails listed in a JSON-lines report instead of dropped.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutRecordCommand, type SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import type { IngestFeaturesRequest, IngestFeaturesResult } from '../../../workflow/payloads.js';
import { artifactPaths } from '../../../workflow/s3-layout.js';
import { mapWithConcurrency } from '../shared/bounded-concurrency.js';
import { FeatureIngestionFailedError } from '../shared/errors.js';
import { FeatureFileFormatError, parseFeatureFile, type FeatureRecordRow } from './feature-records.js';
import { DEFAULT_BACKOFF, isThrottlingOrServerError, realClock, retryWithBackoff, type BackoffClock } from '../shared/retry-with-backoff.js';
import { readObjectText } from '../shared/s3-objects.js';

export interface IngestionSettings {
  artifactsBucket: string;
  concurrency: number;
  maxAttempts: number;
}

export interface IngestionClients {
  s3: S3Client;
  featureStore: SageMakerFeatureStoreRuntimeClient;
  clock?: BackoffClock;
}

/** One line of the failed-records report. */
export interface FailedRecord {
  file: string;
  line: number;
  recordIdentifier: string | null;
  error: string;
  message: string;
  attempts: number;
  record?: Array<{ FeatureName?: string; ValueAsString?: string }>;
}

export async function ingestFeatureFiles(
  clients: IngestionClients,
  request: IngestFeaturesRequest,
  settings: IngestionSettings,
): Promise<IngestFeaturesResult> {
  const { bucket, eventTime } = request.BatchInput;
  let recordsWritten = 0;
  const reports: Array<{ uri: string; failed: FailedRecord[] }> = [];

  for (const item of request.Items) {
    // Spark leaves `_SUCCESS` (and Hadoop `.crc`-style) marker objects beside its output files;
    // they are not feature files.
    if (isOutputMarker(item.Key)) continue;
    const fileUri = `s3://${bucket}/${item.Key}`;
    const runId = runIdFromKey(item.Key);
    const text = await readObjectText(clients.s3, bucket, item.Key);
    let parsed;
    try {
      parsed = parseFeatureFile(text, eventTime);
    } catch (error) {
      if (error instanceof FeatureFileFormatError) {
        throw new FeatureIngestionFailedError(`Cannot ingest ${fileUri}: ${error.message}`, error);
      }
      throw error;
    }
    const failed: FailedRecord[] = parsed.rejected.map((row) => ({ file: fileUri, ...row, attempts: 0 }));
    const outcomes = await mapWithConcurrency(parsed.records, settings.concurrency, (row) =>
      putRecord(clients, request.featureGroupName, row, settings.maxAttempts),
    );
    outcomes.forEach((outcome, index) => {
      if (outcome === null) {
        recordsWritten += 1;
        return;
      }
      const row = parsed.records[index]!;
      failed.push({ file: fileUri, line: row.line, recordIdentifier: row.recordIdentifier, ...outcome, record: row.record });
    });
    if (failed.length > 0) {
      failed.sort((a, b) => a.line - b.line);
      const key = `${artifactPaths(runId, '').failedRecords}${fileStem(item.Key)}.jsonl`;
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: settings.artifactsBucket,
          Key: key,
          Body: failed.map((record) => JSON.stringify(record)).join('\n') + '\n',
          ContentType: 'application/x-ndjson',
        }),
      );
      reports.push({ uri: `s3://${settings.artifactsBucket}/${key}`, failed });
    }
  }

  const recordsFailed = reports.reduce((sum, report) => sum + report.failed.length, 0);
  const result: IngestFeaturesResult = {
    filesRead: request.Items.filter((item) => !isOutputMarker(item.Key)).length,
    recordsWritten,
    recordsFailed,
    failedRecordsUri: failedRecordsUri(reports.map((report) => report.uri)),
  };
  if (recordsFailed > 0) {
    throw new FeatureIngestionFailedError(failureMessage(request.featureGroupName, result, reports, settings.maxAttempts));
  }
  return result;
}

async function putRecord(
  clients: IngestionClients,
  featureGroupName: string,
  row: FeatureRecordRow,
  maxAttempts: number,
): Promise<{ error: string; message: string; attempts: number } | null> {
  const outcome = await retryWithBackoff(
    () => clients.featureStore.send(new PutRecordCommand({ FeatureGroupName: featureGroupName, Record: row.record })),
    isThrottlingOrServerError,
    { maxAttempts, ...DEFAULT_BACKOFF },
    clients.clock ?? realClock,
  );
  if (outcome.ok) return null;
  const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
  return { error: error.name, message: error.message, attempts: outcome.attempts };
}

/** Feature files live under `gold/run_id=<runId>/customer_features/`; the report goes under the same run. */
function runIdFromKey(key: string): string {
  const match = /(?:^|\/)run_id=([^/]+)\//.exec(key);
  if (!match) {
    throw new FeatureIngestionFailedError(
      `Cannot tell the run of feature file ${JSON.stringify(key)}: expected a key under gold/run_id=<runId>/customer_features/`,
    );
  }
  return match[1]!;
}

function fileStem(key: string): string {
  return (key.split('/').pop() ?? key).replace(/\.csv$/, '');
}

/** One report: its URI. Several (a batch of files): the prefix that holds them all. */
function failedRecordsUri(uris: string[]): string | null {
  if (uris.length === 0) return null;
  if (uris.length === 1) return uris[0]!;
  return uris[0]!.slice(0, uris[0]!.lastIndexOf('/') + 1);
}

function failureMessage(
  featureGroupName: string,
  result: IngestFeaturesResult,
  reports: Array<{ uri: string; failed: FailedRecord[] }>,
  maxAttempts: number,
): string {
  const byError = new Map<string, number>();
  for (const record of reports.flatMap((report) => report.failed)) byError.set(record.error, (byError.get(record.error) ?? 0) + 1);
  const reasons = [...byError].map(([error, count]) => `${count} ${error}`).join(', ');
  const total = result.recordsWritten + result.recordsFailed;
  return (
    `${result.recordsFailed} of ${total} feature records from ${result.filesRead} file(s) were not written to feature group ` +
    `${featureGroupName} (${reasons}; throttling retried up to ${maxAttempts} attempts). ` +
    `Failed records are listed in ${reports.map((report) => report.uri).join(', ')}`
  );
}

/** `_SUCCESS`, `_committed_...`, `.part-0.crc`: objects a writer leaves beside its data files. */
export function isOutputMarker(key: string): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name.startsWith('_') || name.startsWith('.');
}
