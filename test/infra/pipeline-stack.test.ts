import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthForTest } from '../support/synth.js';

// One synthesis with cdk-nag on: it throws on any unacknowledged AwsSolutions finding.
const { template: raw } = synthForTest({}, { nag: true });
const template = Template.fromJSON(raw);

function resourcesOf(type: string): Array<[string, any]> {
  return Object.entries(raw.Resources as Record<string, any>).filter(([, r]) => r.Type === type);
}

describe('PipelineStack', () => {
  it('synthesizes with zero unacknowledged cdk-nag findings', () => {
    expect(resourcesOf('AWS::StepFunctions::StateMachine')).toHaveLength(1);
  });

  it('gives ValidateInput one full vCPU and 10 minutes: it inflates a whole .csv.gz (up to maxObjectBytes) to check it', () => {
    const validators = resourcesOf('AWS::Lambda::Function').filter(([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'validate-input');

    expect(validators.map(([, r]) => [r.Properties.MemorySize, r.Properties.Timeout])).toEqual([[1769, 600]]);
  });

  it('encrypts the four zone buckets with the customer key and blocks public access', () => {
    const kmsBuckets = resourcesOf('AWS::S3::Bucket').filter(([, r]) =>
      r.Properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms',
    );

    expect(kmsBuckets).toHaveLength(4);
    for (const [, bucket] of kmsBuckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toBeDefined();
      expect(bucket.Properties.LifecycleConfiguration.Rules.length).toBeGreaterThan(0);
    }
  });

  it('denies non-TLS access on every bucket', () => {
    const policies = resourcesOf('AWS::S3::BucketPolicy');

    expect(policies).toHaveLength(5);
    for (const [, policy] of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('rotates the KMS key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('logs every state machine event with execution data, traces with X-Ray and encrypts with KMS', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'pricesense-pipeline',
      StateMachineType: 'STANDARD',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      TracingConfiguration: { Enabled: true },
      EncryptionConfiguration: Match.objectLike({ Type: 'CUSTOMER_MANAGED_KMS_KEY' }),
    });
  });

  it('wires raw Object Created events under raw/ to start-execution with a KMS-encrypted DLQ', () => {
    const [[, rule]] = resourcesOf('AWS::Events::Rule') as [[string, any]];

    expect(rule.Properties.EventPattern).toMatchObject({ source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { object: { key: [{ prefix: 'raw/' }] } } });
    expect(rule.Properties.Targets[0].DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/^TriggerDeadLetterQueue/);
    expect(rule.Properties.Targets[0].RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
  });

  it('runs every task function on nodejs22.x with its service name', () => {
    const functions = resourcesOf('AWS::Lambda::Function').filter(([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
    const services = functions.map(([, r]) => r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).sort();

    expect(services).toEqual(expect.arrayContaining(['evaluate-model', 'ingest-features', 'start-execution', 'validate-input']));
    for (const [, fn] of functions) expect(fn.Properties.Runtime).toBe('nodejs22.x');
  });

  it('lets ingest-features PutRecord only on the customer feature group', () => {
    const policies = resourcesOf('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);
    const putRecord = policies.filter((s) => s.Action === 'sagemaker:PutRecord');

    expect(putRecord).toHaveLength(1);
    expect(JSON.stringify(putRecord[0].Resource)).toContain(':feature-group/pricesense-customer-history');
  });

  it('scopes the SageMaker training permissions of the state machine to ps-train-* jobs', () => {
    const statements = resourcesOf('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);
    const training = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('sagemaker:CreateTrainingJob'));

    expect(JSON.stringify(training.Resource)).toContain(':training-job/ps-train-*');
  });

  it('lets the state machine delete only the serving endpoint (to recreate it when Failed)', () => {
    const statements = resourcesOf('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);
    const deletes = statements.filter((s) => ([] as string[]).concat(s.Action).some((action) => action === 'sagemaker:DeleteEndpoint' || action === 'sagemaker:*'));

    expect(deletes).toHaveLength(1);
    expect(deletes[0].Action).toBe('sagemaker:DeleteEndpoint');
    expect(JSON.stringify(deletes[0].Resource)).toMatch(/:endpoint\/pricesense-basket-price-sensitivity"/);
    expect(JSON.stringify(deletes[0].Resource)).not.toContain('*');
  });

  it('names the Glue jobs and attaches the security configuration', () => {
    template.hasResourceProperties('AWS::Glue::Job', { Name: 'pricesense-raw-to-silver', SecurityConfiguration: 'pricesense-glue', WorkerType: 'G.1X', NumberOfWorkers: 4 });
    template.hasResourceProperties('AWS::Glue::Job', { Name: 'pricesense-silver-to-gold', SecurityConfiguration: 'pricesense-glue' });
  });

  it('enforces the Athena workgroup with a bytes-scanned cut-off and KMS results', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'pricesense',
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10737418240,
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }) }),
      }),
    });
  });

  it('creates the feature group with online and offline stores under KMS', () => {
    template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      FeatureGroupName: 'pricesense-customer-history',
      OnlineStoreConfig: { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: Match.anyValue() } },
      OfflineStoreConfig: { S3StorageConfig: Match.objectLike({ KmsKeyId: Match.anyValue() }) },
    });
  });

  it('alarms on endpoint p95 ModelLatency above 200 ms (microseconds)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'pricesense-endpoint-p95-latency', ExtendedStatistic: 'p95', Threshold: 200000 });
  });

  it('keeps inference logs in a KMS-encrypted table with point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
});
