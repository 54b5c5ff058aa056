/**
 * AWS side of `/predict` on EKS (`deployTarget: 'eks'`): the ECR repository of the serving image
 * (scan on push, immutable tags, KMS, lifecycle) and, when `eks.oidcIssuer` names the cluster's
 * OIDC issuer, the IRSA role of the serving pods — only the service account
 * `<eks.namespace>/<eks.deploymentName>` may assume it, and it may read the customer feature group's
 * online store, the model archives under `training/` and write the inference log.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, aws_ecr as ecr, aws_iam as iam, type aws_dynamodb as dynamodb, type aws_kms as kms, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EksConfig } from '../../workflow/config.js';
import { acknowledgeFindings, bucketObjects } from '../nag-acknowledgements.js';

export const SERVING_REPOSITORY_NAME = 'pricesense-serving';
export const SERVING_ROLE_NAME = 'pricesense-serving';
/** Tagged images kept (rollback depth); untagged layers expire after UNTAGGED_DAYS. */
export const KEEP_TAGGED_IMAGES = 20;
export const UNTAGGED_DAYS = 7;

export interface EksServingResourcesProps {
  eks: EksConfig;
  key: kms.IKey;
  artifactsBucket: s3.IBucket;
  inferenceTable: dynamodb.ITable;
  featureGroupName: string;
}

export class EksServingResources extends Construct {
  readonly repository: ecr.Repository;
  readonly role?: iam.Role;

  constructor(scope: Construct, id: string, props: EksServingResourcesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: SERVING_REPOSITORY_NAME,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { rulePriority: 1, description: `untagged images expire after ${UNTAGGED_DAYS} days`, tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(UNTAGGED_DAYS) },
        { rulePriority: 2, description: `keep the newest ${KEEP_TAGGED_IMAGES} images`, tagStatus: ecr.TagStatus.ANY, maxImageCount: KEEP_TAGGED_IMAGES },
      ],
    });
    new CfnOutput(stack, 'ServingRepositoryUri', { value: this.repository.repositoryUri, description: 'docker push target of the /predict serving image' });

    if (props.eks.oidcIssuer === '') return;
    const issuer = props.eks.oidcIssuer;
    this.role = new iam.Role(this, 'Role', {
      roleName: SERVING_ROLE_NAME,
      description: `pricesense /predict pods on EKS (service account ${props.eks.namespace}/${props.eks.deploymentName})`,
      assumedBy: new iam.WebIdentityPrincipal(`arn:${stack.partition}:iam::${stack.account}:oidc-provider/${issuer}`, {
        StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: `system:serviceaccount:${props.eks.namespace}:${props.eks.deploymentName}` },
      }),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadCustomerFeatures',
        actions: ['sagemaker:GetRecord'],
        resources: [stack.formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: props.featureGroupName })],
      }),
    );
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadModelArchives', actions: ['s3:GetObject'], resources: [props.artifactsBucket.arnForObjects('training/*')] }));
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteInferenceLog', actions: ['dynamodb:PutItem'], resources: [props.inferenceTable.tableArn] }));
    // S3 objects, the online store and the table are encrypted with the data key.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'UseDataKeyThroughServices',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': ['s3', 'dynamodb', 'sagemaker'].map((service) => `${service}.${stack.region}.amazonaws.com`) } },
      }),
    );
    acknowledgeFindings(this.role, {
      [bucketObjects(props.artifactsBucket, 'training/')]: 'the pods fetch the model archive the rollout names; archives live under training/<job>/output/',
    });
    new CfnOutput(stack, 'ServingRoleArn', { value: this.role.roleArn, description: 'IRSA role for infra/eks/render.ts' });
  }
}
