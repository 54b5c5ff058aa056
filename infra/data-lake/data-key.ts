/**
 * The one customer managed key of pricesense: buckets, logs, queue, topic, feature store,
 * SageMaker volumes and outputs. Its policy lets CloudWatch Logs (this account's log groups),
 * EventBridge and CloudWatch (this account only) use it for the data they write for us.
 *
 * Created in the stack's own scope (not a child construct): the key's logical ID is the one of
 * the deployed stack, and a new ID would replace the key every byte of data is encrypted with.
 */
import { ArnFormat, RemovalPolicy, type Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';

export const DATA_KEY_ALIAS = 'alias/pricesense-data';

export function createDataKey(stack: Stack): kms.Key {
  const key = new kms.Key(stack, 'DataKey', {
    alias: DATA_KEY_ALIAS,
    description: 'pricesense: buckets, logs, queue, topic, feature store, SageMaker volumes and outputs',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // Services that write encrypted data on our behalf need the key in its policy.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      // Log group ARNs use colons (log-group:<name>); the slash form would never match.
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  );
  return key;
}
