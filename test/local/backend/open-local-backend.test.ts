import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uninstallSdkRouting } from '../../../local/aws/sdk-routing.js';
import { openLocalBackend, type BootstrapResource } from '../../../local/backend/open-local-backend.js';

const names = new Map<string, BootstrapResource>([
  ['RawBucket', { type: 'AWS::S3::Bucket', name: 'rawbucket-local', arn: 'arn:aws:s3:::rawbucket-local', properties: {} }],
  ['Topic', { type: 'AWS::SNS::Topic', name: 'pricesense-notifications', arn: 'arn:aws:sns:us-east-1:000000000000:pricesense-notifications', properties: {} }],
  [
    'InferenceLogTable',
    {
      type: 'AWS::DynamoDB::Table',
      name: 'inferencelogtable',
      arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/inferencelogtable',
      properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
    },
  ],
  [
    'CustomerFeatureGroup',
    {
      type: 'AWS::SageMaker::FeatureGroup',
      name: 'pricesense-customer-history',
      arn: 'arn:aws:sagemaker:us-east-1:000000000000:feature-group/pricesense-customer-history',
      properties: {
        RecordIdentifierFeatureName: 'customer_id',
        EventTimeFeatureName: 'event_time',
        FeatureDefinitions: [{ FeatureName: 'customer_id', FeatureType: 'String' }, { FeatureName: 'event_time', FeatureType: 'Fractional' }],
        OnlineStoreConfig: { EnableOnlineStore: true },
      },
    },
  ],
  [
    'ValidateInputFunction',
    {
      type: 'AWS::Lambda::Function',
      name: 'validateinputfunction',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:validateinputfunction',
      properties: { Timeout: 60, Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'validate-input', RAW_BUCKET: 'rawbucket-local' } } },
    },
  ],
  ['CdkHelper', { type: 'AWS::Lambda::Function', name: 'cdkhelper', arn: 'arn:aws:lambda:us-east-1:000000000000:function:cdkhelper', properties: {} }],
]);

function snapshot(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!full.includes(`${join(dir, 'locks')}`)) out[relative(dir, full)] = statSync(full).mtimeMs;
    }
  };
  walk(dir);
  return out;
}

afterAll(() => uninstallSdkRouting());

describe('openLocalBackend with a pipeline', () => {
  it('creates the buckets, topic, table and feature group of the template', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'bootstrap-test-'));
    const { aws } = await openLocalBackend({ stateDir, pipeline: { names } });
    expect(await aws.call('s3', 'HeadBucket', { Bucket: 'rawbucket-local' })).toMatchObject({ BucketRegion: 'us-east-1' });
    expect(await aws.call('sns', 'ListTopics', {})).toEqual({ Topics: [{ TopicArn: 'arn:aws:sns:us-east-1:000000000000:pricesense-notifications' }] });
    expect(await aws.call('dynamodb', 'DescribeTable', { TableName: 'inferencelogtable' })).toMatchObject({ Table: { TableStatus: 'ACTIVE' } });
    expect(await aws.call('sagemaker', 'DescribeFeatureGroup', { FeatureGroupName: 'pricesense-customer-history' })).toMatchObject({ EventTimeFeatureName: 'event_time' });
  });

  it('registers task functions with their template environment and skips CDK helpers', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'bootstrap-test-'));
    const { handles } = await openLocalBackend({ stateDir, pipeline: { names } });
    expect(handles.lambda.listFunctions()).toEqual([
      {
        name: 'validateinputfunction',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:validateinputfunction',
        serviceName: 'validate-input',
        environment: { POWERTOOLS_SERVICE_NAME: 'validate-input', RAW_BUCKET: 'rawbucket-local' },
        timeoutSeconds: 60,
      },
    ]);
  });

  it('changes nothing when run twice on one state directory', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'bootstrap-test-'));
    await openLocalBackend({ stateDir, pipeline: { names } });
    const before = snapshot(stateDir);
    await openLocalBackend({ stateDir, pipeline: { names } });
    expect(snapshot(stateDir)).toEqual(before);
  });

  it('seeds the EKS deployment the rollout patches', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'bootstrap-test-'));
    const { aws } = await openLocalBackend({ stateDir, pipeline: { names }, eks: { clusterName: 'serving', namespace: 'pricesense', deploymentName: 'model' } });
    const out = await aws.call('eks', 'Call', { ClusterName: 'serving', Method: 'GET', Path: '/apis/apps/v1/namespaces/pricesense/deployments/model' });
    expect(out).toMatchObject({ StatusCode: 200, ResponseBody: { metadata: { name: 'model', namespace: 'pricesense', generation: 1 } } });
  });
});

describe('openLocalBackend without a pipeline', () => {
  it('creates nothing in the state directory', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'backend-test-'));
    const { aws } = await openLocalBackend({ stateDir, routeSdkClients: false });
    expect(await aws.call('sagemaker', 'ListModelPackageGroups', {})).toMatchObject({ ModelPackageGroupSummaryList: [] });
    expect(await aws.call('sagemaker', 'ListEndpoints', {})).toMatchObject({ Endpoints: [] });
    expect(snapshot(stateDir)).toEqual({});
  });

  it('answers through the AWS APIs for what an earlier opening created', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'backend-test-'));
    await openLocalBackend({ stateDir, pipeline: { names }, routeSdkClients: false });
    const { aws } = await openLocalBackend({ stateDir, routeSdkClients: false });
    expect(await aws.call('sns', 'ListTopics', {})).toEqual({ Topics: [{ TopicArn: 'arn:aws:sns:us-east-1:000000000000:pricesense-notifications' }] });
    expect(await aws.call('sagemaker', 'DescribeFeatureGroup', { FeatureGroupName: 'pricesense-customer-history' })).toMatchObject({ EventTimeFeatureName: 'event_time' });
    await expect(aws.call('s3', 'HeadBucket', { Bucket: 'rawbucket-local' })).resolves.toMatchObject({ BucketRegion: 'us-east-1' });
  });
});
