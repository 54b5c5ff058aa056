import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    GOLD_BUCKET: 'ps-gold',
    ARTIFACTS_BUCKET: 'ps-artifacts',
    INFERENCE_TABLE_NAME: 'ps-inference-log',
    MODEL_PACKAGE_GROUP_NAME: 'pricesense-basket-price-sensitivity',
    DRIFT_WINDOW_HOURS: '24',
    DRIFT_MIN_SAMPLES: '4',
  });
});

const { handler } = await import('../../tasks/detect-drift.js');

const s3 = mockClient(S3Client);
const sageMaker = mockClient(SageMakerClient);
const dynamoDb = mockClient(DynamoDBClient);
const RUN = 'week-47-0123456789abcdef';
const PACKAGE_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/pricesense-basket-price-sensitivity/3';
const NOW = '2024-01-02T00:00:00Z';

/** A GetObject body that streams (async iterable) and can be read whole. */
function body(text: string) {
  const bytes = new TextEncoder().encode(text);
  return {
    transformToByteArray: async () => bytes,
    async *[Symbol.asyncIterator]() {
      // Split mid-line to exercise the line reassembly across chunks.
      yield bytes.subarray(0, 5);
      yield bytes.subarray(5);
    },
  } as never;
}

function notFound(): Error {
  return Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
}

function inference(hasCustomer: number, hour: number) {
  return { inferenceId: { S: `i-${hour}` }, timestamp: { S: `2024-01-01T${String(hour).padStart(2, '0')}:00:00Z` }, features: { M: { has_customer: { N: String(hasCustomer) } } } };
}

beforeEach(() => {
  s3.reset();
  sageMaker.reset();
  dynamoDb.reset();
  sageMaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: PACKAGE_ARN, ModelPackageStatus: 'Completed', CreationTime: new Date(), ModelPackageName: 'pricesense-basket-price-sensitivity' }] });
  sageMaker.on(DescribeModelPackageCommand).resolves({ ModelPackageArn: PACKAGE_ARN, CustomerMetadataProperties: { runId: RUN } } as never);
  s3.on(GetObjectCommand, { Bucket: 'ps-artifacts', Key: `drift/baseline/run_id=${RUN}.json` }).rejects(notFound());
  s3.on(GetObjectCommand, { Bucket: 'ps-gold', Key: `gold/run_id=${RUN}/serving/feature_list.json` }).resolves({ Body: body('["has_customer"]') });
  s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `gold/run_id=${RUN}/xgboost/train/train.csv` }], IsTruncated: false });
  // Training: half the baskets with a loyalty card.
  s3.on(GetObjectCommand, { Bucket: 'ps-gold', Key: `gold/run_id=${RUN}/xgboost/train/train.csv` }).resolves({ Body: body('0,0\n1,1\n2,0\n1,1\n') });
  s3.on(PutObjectCommand).resolves({});
});

describe('detect-drift handler', () => {
  it('measures PSI of the last day of inferences against the served model\'s training split', async () => {
    // Inferences: 1 without, 3 with a card → PSI 0.274653 (hand-computed in the core tests).
    dynamoDb.on(ScanCommand).resolves({ Items: [inference(0, 1), inference(1, 2), inference(1, 3), inference(1, 4)] });

    const result = await handler({ time: NOW });

    expect(result).toMatchObject({ status: 'measured', runId: RUN, samples: 4, maxPsiFeature: 'has_customer', drifted: ['has_customer'] });
    expect((result as { maxPsi: number }).maxPsi).toBeCloseTo(0.274653, 6);
  });

  it('caches the fitted baseline in the artifacts bucket', async () => {
    dynamoDb.on(ScanCommand).resolves({ Items: [] });

    await handler({ time: NOW });

    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put.Key).toBe(`drift/baseline/run_id=${RUN}.json`);
    expect(JSON.parse(String(put.Body)).features[0].expectedShares).toEqual([0.5, 0.5, 0, 0]);
  });

  it('follows Scan pagination and ignores inferences outside the window', async () => {
    dynamoDb
      .on(ScanCommand)
      .resolvesOnce({ Items: [inference(0, 1), inference(1, 2)], LastEvaluatedKey: { inferenceId: { S: 'i-2' } } })
      .resolvesOnce({ Items: [inference(0, 3), inference(1, 4), { ...inference(1, 5), timestamp: { S: '2023-12-30T00:00:00Z' } }] });

    const result = await handler({ time: NOW });

    expect(dynamoDb.commandCalls(ScanCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ inferenceId: { S: 'i-2' } });
    expect(result).toMatchObject({ status: 'measured', samples: 4, maxPsi: 0 });
  });

  it('reports too few inferences instead of a PSI', async () => {
    dynamoDb.on(ScanCommand).resolves({ Items: [inference(1, 1)] });

    await expect(handler({ time: NOW })).resolves.toEqual({ status: 'insufficient-data', runId: RUN, samples: 1, minSamples: 4 });
  });

  it('does nothing while no model version is approved', async () => {
    sageMaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });

    const result = await handler({ time: NOW });

    expect(result).toEqual({ status: 'no-approved-model', reason: expect.stringContaining('pricesense-basket-price-sensitivity has no Approved version') });
  });

  it('names the field of a malformed manual invocation', async () => {
    await expect(handler({ windowHours: -3 })).rejects.toThrow('windowHours: expected a positive number of hours');
  });
});
