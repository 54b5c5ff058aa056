/**
 * The model registry's package group and the customer feature group (online store, and the
 * offline store under feature-store/ of the artifacts bucket written by the SageMaker role).
 *
 * Created in the stack's own scope (not a child construct) so the logical IDs stay the deployed
 * ones: a new ID would replace the feature group and drop its records.
 */
import { type Stack, type aws_iam as iam, type aws_kms as kms, type aws_s3 as s3, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { CUSTOMER_EVENT_TIME, CUSTOMER_FEATURES, CUSTOMER_RECORD_ID } from '../../workflow/features.js';
import { CUSTOMER_FEATURE_GROUP } from '../../workflow/resource-names.js';
import { FEATURE_STORE_PREFIX } from './sagemaker-execution-role.js';

export interface MlRegistryProps {
  modelPackageGroupName: string;
  artifactsBucket: s3.IBucket;
  key: kms.IKey;
  /** Writes the offline store. */
  sageMakerRole: iam.IRole;
}

export function createMlRegistry(stack: Stack, props: MlRegistryProps): { modelPackageGroup: sagemaker.CfnModelPackageGroup; featureGroup: sagemaker.CfnFeatureGroup } {
  const modelPackageGroup = new sagemaker.CfnModelPackageGroup(stack, 'ModelPackageGroup', {
    modelPackageGroupName: props.modelPackageGroupName,
    modelPackageGroupDescription: 'pricesense basket price-sensitivity models (XGBoost 1.7, LA/MM/UM)',
  });

  const featureGroup = new sagemaker.CfnFeatureGroup(stack, 'CustomerFeatureGroup', {
    featureGroupName: CUSTOMER_FEATURE_GROUP,
    recordIdentifierFeatureName: CUSTOMER_RECORD_ID,
    eventTimeFeatureName: CUSTOMER_EVENT_TIME,
    description: 'Customer price-sensitivity history computed from earlier weeks only',
    featureDefinitions: [
      { featureName: CUSTOMER_RECORD_ID, featureType: 'String' },
      { featureName: CUSTOMER_EVENT_TIME, featureType: 'String' },
      ...CUSTOMER_FEATURES.map((feature) => ({ featureName: feature.name, featureType: feature.type })),
    ],
    // These two properties are untyped (any) in CDK: CloudFormation's PascalCase keys are required.
    onlineStoreConfig: { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: props.key.keyArn } },
    offlineStoreConfig: { S3StorageConfig: { S3Uri: `s3://${props.artifactsBucket.bucketName}/${FEATURE_STORE_PREFIX}`, KmsKeyId: props.key.keyArn } },
    roleArn: props.sageMakerRole.roleArn,
  });
  return { modelPackageGroup, featureGroup };
}
