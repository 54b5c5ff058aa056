/**
 * The data-lake buckets: raw (EventBridge notifications on, the trigger listens), silver, gold
 * and artifacts, each SSE-KMS with the data key, TLS-only, versioned, with its lifecycle; and the
 * SSE-S3 bucket their server access logs go to (S3 delivers access logs to SSE-S3 buckets only).
 *
 * Created in the stack's own scope (not a child construct) so the buckets keep the logical IDs of
 * the deployed stack: a new ID would replace a retained bucket with an empty one. The creation
 * order (raw, silver, gold, artifacts) is the order of the access-log bucket's policy statements.
 */
import { Duration, RemovalPolicy, type Stack, type aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { ATHENA_RESULTS_PREFIX } from '../../workflow/s3-layout.js';

export interface ZoneBuckets {
  /** SSE-S3 destination of the zone buckets' server access logs. */
  accessLogs: s3.Bucket;
  raw: s3.Bucket;
  silver: s3.Bucket;
  gold: s3.Bucket;
  artifacts: s3.Bucket;
}

export function createZoneBuckets(stack: Stack, key: kms.IKey): ZoneBuckets {
  const accessLogs = new s3.Bucket(stack, 'AccessLogsBucket', {
    // Server access logs can only be delivered to SSE-S3 buckets.
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });

  const zoneBucket = (id: string, zone: string, lifecycleRules: s3.LifecycleRule[], extra: Partial<s3.BucketProps> = {}) =>
    new s3.Bucket(stack, id, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: `${zone}/`,
      lifecycleRules,
      removalPolicy: RemovalPolicy.RETAIN,
      ...extra,
    });
  const tiering = (afterDays: number): s3.Transition => ({ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(afterDays) });
  const raw = zoneBucket('RawBucket', 'raw', [
    { id: 'raw-tiering', transitions: [tiering(0)], noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) },
  ], { eventBridgeEnabled: true });
  const silver = zoneBucket('SilverBucket', 'silver', [
    // Silver is rebuilt from raw by any rerun: keep it three months.
    { id: 'silver-expiry', expiration: Duration.days(90), noncurrentVersionExpiration: Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(7) },
  ]);
  const gold = zoneBucket('GoldBucket', 'gold', [
    { id: 'gold-tiering', transitions: [tiering(30)], noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) },
  ]);
  const artifacts = zoneBucket('ArtifactsBucket', 'artifacts', [
    { id: 'artifacts-tiering', transitions: [tiering(30)], noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) },
    { id: 'checkpoints-expiry', prefix: 'checkpoints/', expiration: Duration.days(14) },
    { id: 'athena-results-expiry', prefix: ATHENA_RESULTS_PREFIX, expiration: Duration.days(30) },
  ]);
  return { accessLogs, raw, silver, gold, artifacts };
}
