/**
 * Optional CloudTrail trail (`audit.enabled`): management events of every Region plus S3 data
 * events (reads and writes) on the raw, gold and artifacts buckets, log file validation, SSE-KMS
 * with a key of its own (the pipeline's roles can decrypt the data key, not this one), delivered
 * to a TLS-only, versioned bucket that keeps files for `audit.retentionDays`.
 *
 * Leave it off when an organization trail already records this account: a second trail of the
 * same management events is billed as a paid copy (docs/DEPLOY.md, docs/COST.md).
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, aws_cloudtrail as cloudtrail, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { AuditConfig } from '../../workflow/config.js';

export const AUDIT_TRAIL_NAME = 'pricesense-audit';
export const AUDIT_KEY_ALIAS = 'alias/pricesense-audit';

export interface AuditTrailProps {
  audit: AuditConfig;
  /** Buckets whose object reads and writes are recorded as data events. */
  dataBuckets: readonly s3.IBucket[];
  /** Server access-log destination of the trail bucket (SSE-S3). */
  accessLogsBucket: s3.IBucket;
}

export class AuditTrail extends Construct {
  readonly trail: cloudtrail.Trail;
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: AUDIT_TRAIL_NAME });

    this.key = new kms.Key(this, 'Key', {
      alias: AUDIT_KEY_ALIAS,
      description: 'pricesense CloudTrail log files',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudTrail encrypts for this trail only (encryption context + source ARN: no confused deputy).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptsThisTrail',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': stack.formatArn({ service: 'cloudtrail', region: '*', resource: 'trail', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }) },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailDescribesKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
      }),
    );

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'audit/',
      lifecycleRules: [
        {
          id: 'audit-retention',
          expiration: Duration.days(props.audit.retentionDays),
          noncurrentVersionExpiration: Duration.days(props.audit.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: AUDIT_TRAIL_NAME,
      bucket: this.bucket,
      encryptionKey: this.key,
      enableFileValidation: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
    });
    this.trail.addS3EventSelector(
      props.dataBuckets.map((bucket) => ({ bucket })),
      { readWriteType: cloudtrail.ReadWriteType.ALL, includeManagementEvents: true },
    );
  }
}
