/**
 * Throughput of the local AWS core: S3 PutObject/GetObject through a real S3Client and the SDK
 * routing, Feature Store PutRecord (online + offline buffer, then the Parquet flush), DynamoDB
 * PutItem. Run: npx tsx test/bench/local-aws.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createAwsClient } from '../../tasks/core/shared/aws-clients.js';
import { DynamoDbEmulator } from '../../local/aws/dynamodb.js';
import { createFeatureStore } from '../../local/aws/feature-store/index.js';
import { LocalAws } from '../../local/aws/registry.js';
import { S3Emulator } from '../../local/aws/s3.js';
import { installSdkRouting } from '../../local/aws/sdk-routing.js';

async function timed(label: string, count: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < count; i += 1) await fn(i);
  const ms = performance.now() - start;
  console.log(`${label.padEnd(44)} ${count} ops  ${ms.toFixed(0)} ms  ${((count / ms) * 1000).toFixed(0)} ops/s`);
}

const stateDir = mkdtempSync(join(tmpdir(), 'bench-local-aws-'));
const s3 = new S3Emulator(stateDir);
await s3.createBucket('bench-bucket');
const featureStore = createFeatureStore(stateDir, { maxBufferedRows: 1_000_000, flushAfterMs: 3_600_000 });
const dynamodb = new DynamoDbEmulator(stateDir);
installSdkRouting(new LocalAws().register(s3).register(featureStore.groups).register(featureStore.runtime).register(dynamodb));
const client = createAwsClient('s3', () => new S3Client({}));

await timed('S3 PutObject 1 KiB (S3Client, routed)', 2000, (i) => client.send(new PutObjectCommand({ Bucket: 'bench-bucket', Key: `k/${i}`, Body: 'x'.repeat(1024) })));
await timed('S3 GetObject 1 KiB + transformToString', 2000, async (i) => (await client.send(new GetObjectCommand({ Bucket: 'bench-bucket', Key: `k/${i}` }))).Body!.transformToString());

await featureStore.groups.create({
  FeatureGroupName: 'bench',
  RecordIdentifierFeatureName: 'id',
  EventTimeFeatureName: 't',
  FeatureDefinitions: [{ FeatureName: 'id', FeatureType: 'String' }, { FeatureName: 't', FeatureType: 'Fractional' }, { FeatureName: 'v', FeatureType: 'Fractional' }],
  OnlineStoreConfig: { EnableOnlineStore: true },
  OfflineStoreConfig: { S3StorageConfig: { S3Uri: 's3://bench-bucket/offline' } },
});
const records = 20_000;
await timed('FeatureStore PutRecord (online + offline buffer)', records, (i) =>
  featureStore.runtime.call('PutRecord', {
    FeatureGroupName: 'bench',
    Record: [{ FeatureName: 'id', ValueAsString: `c${i % 5000}` }, { FeatureName: 't', ValueAsString: String(1_700_000_000 + i) }, { FeatureName: 'v', ValueAsString: String(i / 7) }],
  }),
);
const flushStart = performance.now();
await featureStore.flush();
console.log(`${'FeatureStore offline flush to Parquet'.padEnd(44)} ${records} rows  ${(performance.now() - flushStart).toFixed(0)} ms`);

await dynamodb.createTable({ TableName: 'bench-log', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] });
await timed('DynamoDB PutItem', 5000, (i) => dynamodb.call('PutItem', { TableName: 'bench-log', Item: { pk: { S: `r${i}` }, label: { S: 'MM' } } }));
rmSync(stateDir, { recursive: true, force: true });
