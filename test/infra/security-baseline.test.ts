/**
 * Security baseline of the synthesized template (one synthesis with cdk-nag on: it throws on any
 * unacknowledged AwsSolutions finding, so every wildcard that remains carries a reason).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/project-paths.js';
import { resolveDefinition } from '../../local/template/index.js';
import { synthForTest } from '../support/synth.js';

const { template, stateMachineLogicalId } = synthForTest({}, { nag: true });
const resources = template.Resources as Record<string, any>;
const asl = resolveDefinition(template, stateMachineLogicalId) as { States: Record<string, any> };

function resourcesOf(type: string): Array<[string, any]> {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

function statementsOf(): Array<{ owner: string; statement: any }> {
  const out: Array<{ owner: string; statement: any }> = [];
  for (const [id, r] of Object.entries(resources)) {
    const documents =
      r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy' ? [r.Properties.PolicyDocument] : r.Type === 'AWS::IAM::Role' ? (r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument) : [];
    for (const document of documents) for (const statement of document.Statement) out.push({ owner: id, statement });
  }
  return out;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const keyRef = () => {
  const [[keyId]] = resourcesOf('AWS::KMS::Key') as [[string, any]];
  return keyId;
};
const refersToKey = (value: unknown) => JSON.stringify(value).includes(`"${keyRef()}"`);

/** APIs with no resource-level permissions: "*" is the only possible Resource. */
const NO_RESOURCE_LEVEL_ACTIONS = new Set([
  'cloudwatch:PutMetricData',
  'ecr:GetAuthorizationToken',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'lakeformation:GetDataAccess',
]);
describe('security baseline', () => {
  it('logs every state machine event with execution data and traces with X-Ray', () => {
    const machine = resources[stateMachineLogicalId].Properties;

    expect(machine.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    expect(machine.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('has one customer-managed KMS key with rotation', () => {
    const keys = resourcesOf('AWS::KMS::Key');

    expect(keys).toHaveLength(1);
    expect(keys[0]![1].Properties.EnableKeyRotation).toBe(true);
  });

  it('encrypts the four zone buckets with the customer key', () => {
    const kmsBuckets = resourcesOf('AWS::S3::Bucket').filter(([, r]) => refersToKey(r.Properties.BucketEncryption));

    expect(kmsBuckets.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['ArtifactsBucket', 'GoldBucket', 'RawBucket', 'SilverBucket']);
  });

  it('encrypts the feature store, the topic, the queue, the inference log and every log group with the customer key', () => {
    const [[, featureGroup]] = resourcesOf('AWS::SageMaker::FeatureGroup') as [[string, any]];

    expect(refersToKey(featureGroup.Properties.OnlineStoreConfig.SecurityConfig.KmsKeyId)).toBe(true);
    expect(refersToKey(featureGroup.Properties.OfflineStoreConfig.S3StorageConfig.KmsKeyId)).toBe(true);
    for (const [, topic] of resourcesOf('AWS::SNS::Topic')) expect(refersToKey(topic.Properties.KmsMasterKeyId)).toBe(true);
    for (const [, queue] of resourcesOf('AWS::SQS::Queue')) expect(refersToKey(queue.Properties.KmsMasterKeyId)).toBe(true);
    for (const [, table] of resourcesOf('AWS::DynamoDB::Table')) expect(refersToKey(table.Properties.SSESpecification.KMSMasterKeyId)).toBe(true);
    const logGroups = resourcesOf('AWS::Logs::LogGroup');
    expect(logGroups.length).toBeGreaterThanOrEqual(7);
    for (const [id, group] of logGroups) expect([id, refersToKey(group.Properties.KmsKeyId)]).toEqual([id, true]);
  });

  it('encrypts SageMaker training volumes and outputs, transform output and the endpoint with the key', () => {
    const train = asl.States.IngestAndTrain.Branches[1].States.TrainModel.Arguments;
    const transform = asl.States.ScoreTestSplit.Arguments;
    const endpointConfig = asl.States.CreateEndpointConfig.Arguments;
    const keyArns = [train.ResourceConfig.VolumeKmsKeyId, train.OutputDataConfig.KmsKeyId, transform.TransformOutput.KmsKeyId, transform.TransformResources.VolumeKmsKeyId, endpointConfig.KmsKeyId];

    expect(new Set(keyArns).size).toBe(1);
    expect(keyArns[0]).toMatch(/key/);
  });

  it('isolates training and the model container from the network', () => {
    expect(asl.States.IngestAndTrain.Branches[1].States.TrainModel.Arguments.EnableNetworkIsolation).toBe(true);
    expect(asl.States.CreateModel.Arguments.EnableNetworkIsolation).toBe(true);
  });

  it('denies non-TLS requests in the policy of every bucket', () => {
    const buckets = resourcesOf('AWS::S3::Bucket').map(([id]) => id);
    const tlsOnly = resourcesOf('AWS::S3::BucketPolicy')
      .filter(([, policy]) =>
        policy.Properties.PolicyDocument.Statement.some((s: any) => s.Effect === 'Deny' && s.Action === 's3:*' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
      )
      .map(([, policy]) => policy.Properties.Bucket.Ref);

    expect(tlsOnly.sort()).toEqual(buckets.sort());
  });

  it('attaches the KMS Glue security configuration to both jobs', () => {
    const [[, configuration]] = resourcesOf('AWS::Glue::SecurityConfiguration') as [[string, any]];
    const jobs = resourcesOf('AWS::Glue::Job');

    expect(configuration.Properties.EncryptionConfiguration.S3Encryptions[0].S3EncryptionMode).toBe('SSE-KMS');
    expect(jobs.map(([, job]) => job.Properties.SecurityConfiguration)).toEqual([configuration.Properties.Name, configuration.Properties.Name]);
  });

  it('never allows Action "*"', () => {
    const wildcards = statementsOf().filter(({ statement }) => statement.Effect === 'Allow' && list(statement.Action).some((action) => action === '*' || String(action).endsWith(':*')));

    expect(wildcards.map(({ owner }) => owner)).toEqual([]);
  });

  it('uses Resource "*" only for APIs without resource-level permissions', () => {
    const offending = statementsOf()
      .filter(({ statement }) => statement.Effect === 'Allow' && list(statement.Resource).includes('*'))
      .flatMap(({ owner, statement }) =>
        list(statement.Action)
          .map(String)
          .filter((action) => !NO_RESOURCE_LEVEL_ACTIONS.has(action))
          .map((action) => `${owner}: ${action}`),
      );

    expect(offending).toEqual([]);
  });

  it('scopes the state machine\'s Athena and S3 result access to the workgroup, the catalog and the result prefix (and its S3 writes to that prefix and experiments/)', () => {
    const machineStatements = statementsOf().filter(({ owner }) => owner.startsWith('PipelineStateMachineRole')).map(({ statement }) => statement);
    const grantsOf = (prefix: string) =>
      machineStatements.filter((statement) => list(statement.Action).some((action) => String(action).startsWith(prefix))).map((statement) => ({ actions: list(statement.Action), resources: JSON.stringify(statement.Resource) }));

    const athena = grantsOf('athena:');
    const resultObjects = grantsOf('s3:PutObject');

    expect(athena.flatMap((grant) => grant.actions).sort()).toEqual(['athena:GetDataCatalog', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StartQueryExecution', 'athena:StopQueryExecution']);
    expect(athena.map((grant) => grant.resources.match(/:(workgroup\/pricesense|datacatalog\/AwsDataCatalog)"/)?.[1])).toEqual(['workgroup/pricesense', 'datacatalog/AwsDataCatalog']);
    // Athena's results, and the experiment record RecordExperiment writes.
    expect(resultObjects.map((grant) => grant.resources.match(/\/(athena-results|experiments)\/\*"/)?.[1]).sort()).toEqual(['athena-results', 'experiments']);
  });

  it('limits the autoscaling calls to SageMaker variant instance counts and the endpoint\'s own target-tracking alarms', () => {
    const machineStatements = statementsOf().filter(({ owner }) => owner.startsWith('PipelineStateMachineRole')).map(({ statement }) => statement);
    const [autoscaling] = machineStatements.filter((statement) => list(statement.Action).includes('application-autoscaling:RegisterScalableTarget'));
    const [alarms] = machineStatements.filter((statement) => list(statement.Action).includes('cloudwatch:PutMetricAlarm'));

    expect(list(autoscaling.Action).sort()).toEqual(['application-autoscaling:PutScalingPolicy', 'application-autoscaling:RegisterScalableTarget']);
    expect(autoscaling.Condition).toEqual({
      StringEquals: { 'application-autoscaling:service-namespace': 'sagemaker', 'application-autoscaling:scalable-dimension': 'sagemaker:variant:DesiredInstanceCount' },
    });
    expect(JSON.stringify(alarms.Resource)).toContain(':alarm:TargetTracking-endpoint/pricesense-basket-price-sensitivity/variant/AllTraffic-*');
  });

  it('serves the endpoint from a network-isolated model created from the registered package', () => {
    expect(asl.States.CreateServingModel.Arguments).toMatchObject({ PrimaryContainer: { ModelPackageName: '{% $model.packageArn %}' }, EnableNetworkIsolation: true });
  });

  it('authenticates /predict with IAM and throttles its stage', () => {
    const methods = resourcesOf('AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    const [[, stage]] = resourcesOf('AWS::ApiGateway::Stage') as [[string, any]];

    expect(methods.length).toBeGreaterThan(0);
    for (const [, method] of methods) expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
    expect(stage.Properties.MethodSettings).toContainEqual(expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 }));
  });
});

describe('no secrets in the repository', () => {
  // Patterns assembled from parts so this file does not match itself.
  const patterns: Array<[string, RegExp]> = [
    // AWS's documented placeholder keys end in EXAMPLE (AKIAIOSFODNN7EXAMPLE).
    ['AWS access key id', new RegExp('(?:A' + 'KIA|A' + 'SIA)(?![0-9A-Z]{9}EXAMPLE)[0-9A-Z]{16}')],
    ['private key block', new RegExp('-----BEGIN (?:RSA |EC |OPENSSH |DSA )?' + 'PRIVATE KEY-----')],
    ['AWS secret access key assignment', new RegExp('aws_secret_access_key\\s*[=:]\\s*["\']?[A-Za-z0-9/+]{40}', 'i')],
    ['GitHub token', new RegExp('gh' + 'p_[A-Za-z0-9]{36}')],
    ['Slack token', new RegExp('xox' + '[baprs]-[A-Za-z0-9-]{10,}')],
  ];

  it('finds no key material in any tracked text file', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    const findings: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(REPO_ROOT, file), 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      if (text.includes('\0')) continue; // binary
      for (const [name, pattern] of patterns) if (pattern.test(text)) findings.push(`${file}: ${name}`);
    }

    expect(files.length).toBeGreaterThan(50);
    expect(findings).toEqual([]);
  });
});
