/**
 * The inference log: one item per sampled /predict inference (written by the predict Lambda or
 * the EKS serving pods, read by the drift check), KMS-encrypted, point-in-time recovery, expiring
 * through `expiresAt`.
 *
 * Created in the stack's own scope (not a child construct): a new logical ID would replace the
 * retained table.
 */
import { RemovalPolicy, type Stack, aws_dynamodb as dynamodb, type aws_kms as kms } from 'aws-cdk-lib';

export function createInferenceLogTable(stack: Stack, key: kms.IKey): dynamodb.Table {
  return new dynamodb.Table(stack, 'InferenceLogTable', {
    partitionKey: { name: 'inferenceId', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: 'expiresAt',
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
