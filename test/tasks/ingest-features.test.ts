import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutRecordCommand, SageMakerFeatureStoreRuntimeClient, ValidationError } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FEATURE_FILE_COLUMNS } from '../../tasks/core/ingest-features/feature-records.js';
import { s3Body } from './fixtures.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ARTIFACTS_BUCKET: 'ps-artifacts',
    FEATURE_GROUP_NAME: 'pricesense-customer-history',
    INGEST_CONCURRENCY: '4',
    INGEST_MAX_ATTEMPTS: '3',
  });
});

const { handler } = await import('../../tasks/ingest-features.js');

const s3 = mockClient(S3Client);
const featureStore = mockClient(SageMakerFeatureStoreRuntimeClient);
const RUN = 'week-47-0123456789abcdef';
const FILE_KEY = `gold/run_id=${RUN}/customer_features/part-0.csv`;
const HEADER = FEATURE_FILE_COLUMNS.join(',');

function serveFeatureFile(rows: string[], key = FILE_KEY): void {
  s3.on(GetObjectCommand, { Bucket: 'ps-gold', Key: key }).resolves({ Body: s3Body([HEADER, ...rows].join('\n') + '\n') });
}

function request(keys: string[] = [FILE_KEY], featureGroupName = 'pricesense-customer-history') {
  return {
    featureGroupName,
    Items: keys.map((Key) => ({ Key, Size: 100 })),
    BatchInput: { bucket: 'ps-gold', eventTime: '2026-01-31T00:00:00Z' },
  };
}

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
}

beforeEach(() => {
  s3.reset();
  featureStore.reset();
  s3.on(PutObjectCommand).resolves({});
});

describe('ingest-features', () => {
  it('writes one PutRecord per row with every feature as a string', async () => {
    serveFeatureFile(['C1,2026-01-24 00:00:00,3,12.5,4.25,0.2,0.5,0.3,200603,-0.125', 'C2,,1,8,2,1,0,0,200604,0']);
    featureStore.on(PutRecordCommand).resolves({});

    const result = await handler(request());

    expect(result).toEqual({ filesRead: 1, recordsWritten: 2, recordsFailed: 0, failedRecordsUri: null });
    expect(featureStore).toHaveReceivedCommandWith(PutRecordCommand, {
      FeatureGroupName: 'pricesense-customer-history',
      Record: [
        { FeatureName: 'customer_id', ValueAsString: 'C1' },
        { FeatureName: 'event_time', ValueAsString: '2026-01-24T00:00:00Z' },
        { FeatureName: 'prior_baskets', ValueAsString: '3' },
        { FeatureName: 'prior_spend_mean', ValueAsString: '12.5' },
        { FeatureName: 'prior_items_mean', ValueAsString: '4.25' },
        { FeatureName: 'prior_share_la', ValueAsString: '0.2' },
        { FeatureName: 'prior_share_mm', ValueAsString: '0.5' },
        { FeatureName: 'prior_share_um', ValueAsString: '0.3' },
        { FeatureName: 'last_shop_week', ValueAsString: '200603' },
        { FeatureName: 'prior_price_ratio_mean', ValueAsString: '-0.125' },
      ],
    });
  });

  it("skips the _SUCCESS marker Spark leaves beside the feature files instead of failing on it", async () => {
    serveFeatureFile(['C1,2026-01-24 00:00:00,3,12.5,4.25,0.2,0.5,0.3,200603,-0.125']);
    const marker = FILE_KEY.replace(/[^/]+$/, '_SUCCESS');
    s3.on(GetObjectCommand, { Bucket: 'ps-gold', Key: marker }).resolves({ Body: s3Body('') });
    featureStore.on(PutRecordCommand).resolves({});

    const result = await handler(request([marker, FILE_KEY]));

    expect(result).toEqual({ filesRead: 1, recordsWritten: 1, recordsFailed: 0, failedRecordsUri: null });
    expect(s3).not.toHaveReceivedCommandWith(GetObjectCommand, { Key: marker });
  });

  it('uses the batch event time when a row has none', async () => {
    serveFeatureFile(['C2,,1,8,2,1,0,0,200604,0']);
    featureStore.on(PutRecordCommand).resolves({});

    await handler(request());

    const record = featureStore.commandCalls(PutRecordCommand)[0]!.args[0].input.Record!;
    expect(record[1]).toEqual({ FeatureName: 'event_time', ValueAsString: '2026-01-31T00:00:00Z' });
  });

  it('omits empty features instead of sending empty strings', async () => {
    serveFeatureFile(['C3,2026-01-24T00:00:00Z,0,,,,,,,']);
    featureStore.on(PutRecordCommand).resolves({});

    await handler(request());

    const names = featureStore.commandCalls(PutRecordCommand)[0]!.args[0].input.Record!.map((value) => value.FeatureName);
    expect(names).toEqual(['customer_id', 'event_time', 'prior_baskets']);
  });

  it('retries a throttled record and succeeds', async () => {
    serveFeatureFile(['C1,,3,12.5,4.25,0.2,0.5,0.3,200603,-0.125']);
    featureStore.on(PutRecordCommand).rejectsOnce(throttled()).resolves({});

    const result = await handler(request());

    expect(result.recordsWritten).toBe(1);
    expect(featureStore).toHaveReceivedCommandTimes(PutRecordCommand, 2);
  });

  it('reports a partial failure: the failed record goes to the JSON-lines report and the error gives counts and URI', async () => {
    serveFeatureFile(['C1,,3,12.5,4.25,0.2,0.5,0.3,200603,-0.125', 'C2,,1,8,2,1,0,0,200604,0']);
    featureStore.on(PutRecordCommand).callsFake(async (input: { Record: Array<{ ValueAsString: string }> }) => {
      if (input.Record[0]!.ValueAsString === 'C2') {
        throw new ValidationError({ message: 'Feature prior_share_la exceeds limits', $metadata: { httpStatusCode: 400 } });
      }
      return {};
    });
    const reportUri = `s3://ps-artifacts/ingestion/run_id=${RUN}/failed-records/part-0.jsonl`;

    const error = await handler(request()).catch((caught: Error) => caught);

    expect(error).toMatchObject({
      name: 'FeatureIngestionFailed',
      message:
        '1 of 2 feature records from 1 file(s) were not written to feature group pricesense-customer-history ' +
        `(1 ValidationError; throttling retried up to 3 attempts). Failed records are listed in ${reportUri}`,
    });
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect([put.Bucket, put.Key]).toEqual(['ps-artifacts', `ingestion/run_id=${RUN}/failed-records/part-0.jsonl`]);
    const lines = String(put.Body).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ file: `s3://ps-gold/${FILE_KEY}`, line: 3, recordIdentifier: 'C2', error: 'ValidationError', attempts: 1 }),
    ]);
  });

  it('reports a record still throttled after INGEST_MAX_ATTEMPTS', async () => {
    serveFeatureFile(['C1,,3,12.5,4.25,0.2,0.5,0.3,200603,-0.125']);
    featureStore.on(PutRecordCommand).rejects(throttled());

    const error = await handler(request()).catch((caught: Error) => caught);

    expect(error).toMatchObject({ name: 'FeatureIngestionFailed', message: expect.stringContaining('1 of 1 feature records') });
    expect(featureStore).toHaveReceivedCommandTimes(PutRecordCommand, 3);
    const line = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body).trim());
    expect(line).toMatchObject({ recordIdentifier: 'C1', error: 'ThrottlingException', attempts: 3 });
  });

  it('reports rows that cannot become a record without sending them', async () => {
    serveFeatureFile([',,3,12.5,4.25,0.2,0.5,0.3,200603,-0.125', 'C9,,three,1,1,1,0,0,200604,0', 'C1,,3,12.5,4.25,0.2,0.5,0.3,200603,-0.125']);
    featureStore.on(PutRecordCommand).resolves({});

    const error = await handler(request()).catch((caught: Error) => caught);

    expect(error).toMatchObject({ name: 'FeatureIngestionFailed', message: expect.stringContaining('2 of 3 feature records') });
    expect(featureStore).toHaveReceivedCommandTimes(PutRecordCommand, 1);
    const lines = String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.message)).toEqual([
      'line 2: customer_id is empty: expected a customer code',
      'line 3: prior_baskets = "three" is not an integer',
    ]);
  });

  it('rejects a feature file with the wrong header, naming it and the expected one', async () => {
    s3.on(GetObjectCommand).resolves({ Body: s3Body('customer,event_time\nC1,\n') });

    await expect(handler(request())).rejects.toMatchObject({
      name: 'FeatureIngestionFailed',
      message: `Cannot ingest s3://ps-gold/${FILE_KEY}: the header is "customer,event_time": expected ${HEADER}`,
    });
  });

  it('rejects a malformed request', async () => {
    await expect(handler({ Items: 'nope' })).rejects.toMatchObject({
      name: 'FeatureIngestionFailed',
      message: expect.stringContaining('Items: Invalid input: expected array'),
    });
  });

  it('falls back to FEATURE_GROUP_NAME when the request names no group', async () => {
    serveFeatureFile(['C1,,3,12.5,4.25,0.2,0.5,0.3,200603,-0.125']);
    featureStore.on(PutRecordCommand).resolves({});

    await handler(request([FILE_KEY], ''));

    expect(featureStore).toHaveReceivedCommandWith(PutRecordCommand, { FeatureGroupName: 'pricesense-customer-history' });
  });

  it('reports the shared prefix when several files of the batch have failures', async () => {
    const secondKey = `gold/run_id=${RUN}/customer_features/part-1.csv`;
    serveFeatureFile([',,1,1,1,1,0,0,200601']);
    serveFeatureFile([',,1,1,1,1,0,0,200601'], secondKey);

    const error = await handler(request([FILE_KEY, secondKey])).catch((caught: Error) => caught);

    expect((error as Error).message).toContain(`s3://ps-artifacts/ingestion/run_id=${RUN}/failed-records/part-0.jsonl, s3://ps-artifacts/ingestion/run_id=${RUN}/failed-records/part-1.jsonl`);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 2);
  });
});
