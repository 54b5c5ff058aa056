/** The optional CloudTrail trail (`audit.enabled`): what it records and how its logs are protected. */
import { describe, expect, it } from 'vitest';
import { AUDIT_KEY_ALIAS, AUDIT_TRAIL_NAME } from '../../infra/audit/audit-trail.js';
import { resolveConfig } from '../../workflow/config.js';
import { PLATFORM_OPTIONS } from '../support/platform-options.js';
import { synthForTest } from '../support/synth.js';

const resources = synthForTest(PLATFORM_OPTIONS).template.Resources as Record<string, any>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const [[, trail]] = ofType('AWS::CloudTrail::Trail') as [[string, any]];
const trailBucketId = trail.Properties.S3BucketName.Ref as string;
const trailBucket = resources[trailBucketId];
const aliasTarget = ofType('AWS::KMS::Alias').find(([, a]) => a.Properties.AliasName === AUDIT_KEY_ALIAS)![1].Properties.TargetKeyId;
const auditKeyId = (aliasTarget.Ref ?? aliasTarget['Fn::GetAtt'][0]) as string;
const bucketIdOf = (prefix: string) => Object.keys(resources).find((id) => id.startsWith(prefix) && resources[id].Type === 'AWS::S3::Bucket')!;

describe('audit trail', () => {
  it('records management events of every Region with log file validation', () => {
    expect(trail.Properties).toMatchObject({
      TrailName: AUDIT_TRAIL_NAME,
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
    });
    expect(trail.Properties.EventSelectors.some((s: any) => s.IncludeManagementEvents === true && s.ReadWriteType === 'All')).toBe(true);
  });

  it('records object reads and writes on the raw, gold and artifacts buckets only', () => {
    const dataResources = trail.Properties.EventSelectors.flatMap((s: any) => s.DataResources ?? []);
    const selector = trail.Properties.EventSelectors.find((s: any) => s.DataResources);

    expect(selector.ReadWriteType).toBe('All');
    expect(dataResources).toHaveLength(1);
    expect(dataResources[0].Type).toBe('AWS::S3::Object');
    const values = dataResources[0].Values.map((v: any) => v['Fn::Join'][1][0]['Fn::GetAtt'][0]);
    expect(values).toEqual([bucketIdOf('RawBucket'), bucketIdOf('GoldBucket'), bucketIdOf('ArtifactsBucket')]);
    expect(dataResources[0].Values.every((v: any) => v['Fn::Join'][1][1] === '/')).toBe(true);
  });

  it('encrypts log files with its own rotating key, which CloudTrail may use for this trail only', () => {
    expect(trail.Properties.KMSKeyId).toEqual({ 'Fn::GetAtt': [auditKeyId, 'Arn'] });
    const key = resources[auditKeyId];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const cloudTrailStatements = key.Properties.KeyPolicy.Statement.filter((s: any) => s.Principal?.Service === 'cloudtrail.amazonaws.com');
    expect(cloudTrailStatements.map((s: any) => s.Action)).toEqual(['kms:GenerateDataKey*', 'kms:DescribeKey']);
    for (const statement of cloudTrailStatements) expect(JSON.stringify(statement.Condition.StringEquals['aws:SourceArn'])).toContain(`:trail/${AUDIT_TRAIL_NAME}`);
  });

  it('delivers to its own TLS-only, private, versioned bucket that keeps files for the retention', () => {
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === trailBucketId)![1];
    const denyPlainHttp = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');

    expect(denyPlainHttp).toBeDefined();
    expect(trailBucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(trailBucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(trailBucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: { 'Fn::GetAtt': [auditKeyId, 'Arn'] },
    });
    expect(trailBucket.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 400, NoncurrentVersionExpiration: { NoncurrentDays: 400 } });
    expect(trailBucket.Properties.LoggingConfiguration.LogFilePrefix).toBe('audit/');
    expect(trailBucket.DeletionPolicy).toBe('Retain');
  });

  it('lets CloudTrail write only under AWSLogs/<this account>/ of the trail bucket', () => {
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === trailBucketId)![1];
    const put = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Action === 's3:PutObject' && s.Principal?.Service === 'cloudtrail.amazonaws.com');

    expect(JSON.stringify(put.Resource)).toContain('/AWSLogs/');
    expect(put.Condition).toEqual({ StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } });
  });

  it('is off by default', () => {
    expect(ofType('AWS::CloudTrail::Trail')).toHaveLength(1);
    expect(JSON.stringify(synthForTest({}).template.Resources)).not.toContain('AWS::CloudTrail::Trail');
  });

  it('rejects a retention that is not a whole number of days', () => {
    expect(() => resolveConfig({ audit: { enabled: true, retentionDays: 0 } })).toThrow('audit.retentionDays must be a whole number of at least 1, got 0');
  });
});
