import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetRecordCommand, PutRecordCommand, SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClient } from '../../../tasks/core/shared/aws-clients.js';
import { AwsServiceError, type AwsServiceEmulator } from '../../../local/aws/emulator.js';
import { createFeatureStore } from '../../../local/aws/feature-store/index.js';
import { LocalAws } from '../../../local/aws/registry.js';
import { S3Emulator } from '../../../local/aws/s3.js';
import { actionOfCommand, installSdkRouting, uninstallSdkRouting } from '../../../local/aws/sdk-routing.js';

const received: Array<{ action: string; input: Record<string, unknown> }> = [];
const fakeSfn: AwsServiceEmulator = {
  service: 'sfn',
  actions: ['DescribeExecution'],
  async call(action, input) {
    received.push({ action, input });
    if (input.executionArn === 'throttle') throw new AwsServiceError('ThrottlingException', 'Rate exceeded');
    return { executionArn: input.executionArn, status: 'RUNNING', startDate: new Date('2024-01-01T00:00:00Z') };
  },
};

let s3Client: S3Client;
let sfnClient: SFNClient;
let featureClient: SageMakerFeatureStoreRuntimeClient;

beforeAll(async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'routing-test-'));
  const s3 = new S3Emulator(stateDir);
  await s3.createBucket('routed-bucket');
  const featureStore = createFeatureStore(stateDir);
  await featureStore.groups.create({
    FeatureGroupName: 'customers',
    RecordIdentifierFeatureName: 'customer_id',
    EventTimeFeatureName: 'event_time',
    FeatureDefinitions: [
      { FeatureName: 'customer_id', FeatureType: 'String' },
      { FeatureName: 'event_time', FeatureType: 'Fractional' },
      { FeatureName: 'prior_baskets', FeatureType: 'Integral' },
    ],
    OnlineStoreConfig: { EnableOnlineStore: true },
  });
  const localAws = new LocalAws().register(s3).register(fakeSfn).register(featureStore.groups).register(featureStore.runtime);
  // Clients made before routing is installed are routed too.
  s3Client = createAwsClient('s3', () => new S3Client({}));
  installSdkRouting(localAws);
  sfnClient = createAwsClient('sfn', () => new SFNClient({}));
  featureClient = createAwsClient('sagemakerfeaturestoreruntime', () => new SageMakerFeatureStoreRuntimeClient({}));
});

afterAll(() => uninstallSdkRouting());

describe('SDK routing', () => {
  it('maps command names to API actions', () => {
    expect(actionOfCommand('PutObjectCommand')).toBe('PutObject');
  });

  it('serves a real S3Client with no credentials and adds $metadata', async () => {
    const out = await s3Client.send(new PutObjectCommand({ Bucket: 'routed-bucket', Key: 'a.txt', Body: 'routed' }));
    expect(out.ETag).toBe(`"${createHash('md5').update('routed').digest('hex')}"`);
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it('returns GetObject Body as an SDK stream', async () => {
    await s3Client.send(new PutObjectCommand({ Bucket: 'routed-bucket', Key: 'b.txt', Body: new TextEncoder().encode('bytes in') }));
    const out = await s3Client.send(new GetObjectCommand({ Bucket: 'routed-bucket', Key: 'b.txt' }));
    expect(await out.Body!.transformToString()).toBe('bytes in');
  });

  it('supports async iteration of the Body', async () => {
    await s3Client.send(new PutObjectCommand({ Bucket: 'routed-bucket', Key: 'c.txt', Body: 'iterate' }));
    const out = await s3Client.send(new GetObjectCommand({ Bucket: 'routed-bucket', Key: 'c.txt' }));
    const chunks: Buffer[] = [];
    for await (const chunk of out.Body as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('iterate');
  });

  it('throws service errors with the SDK error name, $fault and $metadata', async () => {
    const error = await s3Client.send(new GetObjectCommand({ Bucket: 'routed-bucket', Key: 'nope' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NoSuchKey', $fault: 'client', $metadata: { httpStatusCode: 404 } });
  });

  it('passes SFN command input to the emulator unchanged', async () => {
    const out = await sfnClient.send(new DescribeExecutionCommand({ executionArn: 'arn:x' }));
    expect(received.at(-1)).toEqual({ action: 'DescribeExecution', input: { executionArn: 'arn:x' } });
    expect(out.status).toBe('RUNNING');
  });

  it('lets handlers recognise throttling by error name', async () => {
    const error = await sfnClient.send(new DescribeExecutionCommand({ executionArn: 'throttle' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ThrottlingException', $retryable: { throttling: true } });
  });

  it('serves the feature store runtime client', async () => {
    await featureClient.send(
      new PutRecordCommand({
        FeatureGroupName: 'customers',
        Record: [
          { FeatureName: 'customer_id', ValueAsString: 'C1' },
          { FeatureName: 'event_time', ValueAsString: '1700000000' },
          { FeatureName: 'prior_baskets', ValueAsString: '4' },
        ],
      }),
    );
    const out = await featureClient.send(new GetRecordCommand({ FeatureGroupName: 'customers', RecordIdentifierValueAsString: 'C1', FeatureNames: ['prior_baskets'] }));
    expect(out.Record).toEqual([{ FeatureName: 'prior_baskets', ValueAsString: '4' }]);
  });
});
