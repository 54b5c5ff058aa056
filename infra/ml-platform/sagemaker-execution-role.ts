/**
 * The role SageMaker assumes for training, batch transform, hosting and the feature store's
 * offline store: read gold and artifacts, write only the prefixes SageMaker writes (never delete:
 * artifacts holds the registered models), the data key, the XGBoost image, its own logs and metrics.
 *
 * Created in the stack's own scope (not a child construct) so its logical ID stays the deployed one.
 */
import { ArnFormat, type Stack, aws_iam as iam, type aws_kms as kms, type aws_s3 as s3 } from 'aws-cdk-lib';
import { xgboostImageUri } from '../../workflow/xgboost-image.js';
import { acknowledgeFindings, arnFinding, bucketObjects } from '../nag-acknowledgements.js';
import type { PrivateNetwork } from '../network/private-network.js';

/** Offline-store prefix of the feature group in the artifacts bucket. */
export const FEATURE_STORE_PREFIX = 'feature-store/';
/** The Glue database SageMaker creates offline-store tables in. */
const FEATURE_STORE_GLUE_DATABASE = 'sagemaker_featurestore';
/** Artifacts prefixes SageMaker writes (workflow/s3-layout.ts artifactPaths, the offline store). */
const SAGEMAKER_WRITE_PREFIXES = ['training/', 'checkpoints/', 'transform/', FEATURE_STORE_PREFIX] as const;

export interface SageMakerExecutionRoleProps {
  goldBucket: s3.IBucket;
  artifactsBucket: s3.IBucket;
  key: kms.IKey;
  /** Region of the XGBoost image the role pulls. */
  region: string;
  network?: PrivateNetwork;
}

export function createSageMakerExecutionRole(stack: Stack, props: SageMakerExecutionRoleProps): iam.Role {
  const { goldBucket: gold, artifactsBucket: artifacts, key } = props;
  const sageMakerRole = new iam.Role(stack, 'SageMakerExecutionRole', {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    description: 'pricesense training, batch transform, hosting and the feature store offline store',
  });
  gold.grantRead(sageMakerRole);
  // Read anywhere in artifacts (model artifacts of earlier runs back the registered packages), but
  // write only the prefixes SageMaker writes and never delete: the bucket holds registered models.
  artifacts.grantRead(sageMakerRole);
  for (const prefix of SAGEMAKER_WRITE_PREFIXES) artifacts.grantPut(sageMakerRole, `${prefix}*`);
  // What AWS's managed AmazonSageMakerFeatureStoreAccess policy grants the offline-store role,
  // narrowed to this store (docs.aws.amazon.com/sagemaker/latest/dg/security-iam-awsmanpol-feature-store.html):
  // objects written with an ACL, the bucket ACL read, and the Glue table of the offline store.
  sageMakerRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObjectAcl'], resources: [artifacts.arnForObjects(`${FEATURE_STORE_PREFIX}*`)] }));
  sageMakerRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], resources: [artifacts.bucketArn] }));
  sageMakerRole.addToPolicy(
    new iam.PolicyStatement({
      actions: ['glue:GetTable', 'glue:UpdateTable'],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: FEATURE_STORE_GLUE_DATABASE }),
        stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${FEATURE_STORE_GLUE_DATABASE}/*` }),
      ],
    }),
  );
  key.grantEncryptDecrypt(sageMakerRole);
  key.grant(sageMakerRole, 'kms:CreateGrant', 'kms:DescribeKey');
  sageMakerRole.addToPolicy(
    new iam.PolicyStatement({
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      resources: [`arn:${stack.partition}:ecr:${props.region}:${xgboostImageUri(props.region).split('.')[0]}:repository/sagemaker-xgboost`],
    }),
  );
  sageMakerRole.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
  sageMakerRole.addToPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [
        stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/*:log-stream:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
    }),
  );
  sageMakerRole.addToPolicy(
    new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringLike: { 'cloudwatch:namespace': ['aws/sagemaker/*', '/aws/sagemaker/*'] } } }),
  );
  acknowledgeFindings(sageMakerRole, {
    'Resource::*': 'ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level permissions (PutMetricData is limited by namespace condition)',
    [bucketObjects(gold)]: 'training and transform read the gold CSV channels of any run',
    [bucketObjects(artifacts)]: 'training and transform read model artifacts of any run (registered packages point at them); writes are limited to the prefixes below',
    ...Object.fromEntries(SAGEMAKER_WRITE_PREFIXES.map((prefix) => [bucketObjects(artifacts, prefix), `SageMaker writes job output under ${prefix} (one sub-prefix per job or run)`])),
    [arnFinding(stack, 'glue', `table/${FEATURE_STORE_GLUE_DATABASE}/*`)]: 'the offline store updates the Glue table SageMaker creates for the feature group in sagemaker_featurestore (as the managed Feature Store policy grants)',
    [arnFinding(stack, 'logs', 'log-group:/aws/sagemaker/*')]: 'SageMaker jobs and endpoints write to their own /aws/sagemaker/* log groups, whose names are per job',
    [arnFinding(stack, 'logs', 'log-group:/aws/sagemaker/*:log-stream:*')]: 'SageMaker creates one log stream per job instance or endpoint variant in those groups',
  });

  props.network?.grantNetworkInterfaces(sageMakerRole, 'sagemaker');
  return sageMakerRole;
}
