/**
 * AWS side of `/predict` on EKS (`deployTarget: 'eks'`): the ECR repository of the serving image
 * (scan on push, immutable tags, KMS, lifecycle) and, when `eks.oidcIssuer` names the cluster's
 * OIDC issuer, the IRSA role of the serving pods — only the service account
 * `<eks.namespace>/<eks.deploymentName>` may assume it. It grants exactly what the pod calls:
 * the init container's `aws s3 cp` of the model archive (under `training/`), and the server's
 * (`pricesense serve --aws`, local/serving/aws/aws-backend.ts) DescribeModelPackage on the
 * annotated package version, GetObject of that run's `serving/reference_prices.json` in the gold
 * bucket, GetRecord on the customer feature group and PutItem into the inference log.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, aws_ecr as ecr, aws_iam as iam, type aws_dynamodb as dynamodb, type aws_kms as kms, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EksConfig } from '../../workflow/config.js';
import { REFERENCE_PRICES_FILE } from '../../workflow/gold-features.js';
import { acknowledgeFindings, arnFinding, bucketObjects } from '../nag-acknowledgements.js';

export const SERVING_REPOSITORY_NAME = 'pricesense-serving';
export const SERVING_ROLE_NAME = 'pricesense-serving';
/** Tagged images kept (rollback depth); untagged layers expire after UNTAGGED_DAYS. */
export const KEEP_TAGGED_IMAGES = 20;
export const UNTAGGED_DAYS = 7;

export interface EksServingResourcesProps {
  eks: EksConfig;
  key: kms.IKey;
  artifactsBucket: s3.IBucket;
  /** Holds each run's gold/run_id=<run>/serving/reference_prices.json, which the served model needs. */
  goldBucket: s3.IBucket;
  inferenceTable: dynamodb.ITable;
  featureGroupName: string;
  /** The group whose versions the rollout annotates the pods with. */
  modelPackageGroupName: string;
}

/** The gold objects the server reads: one reference table per run (workflow/s3-layout.ts goldPaths). */
export const REFERENCE_PRICES_OBJECTS = `gold/run_id=*/serving/${REFERENCE_PRICES_FILE}`;

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
    // The package names the model's gold run (and must be Approved); that run's table holds the reference prices.
    const packages = `model-package/${props.modelPackageGroupName.toLowerCase()}/*`;
    this.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'DescribeServedModelPackage', actions: ['sagemaker:DescribeModelPackage'], resources: [stack.formatArn({ service: 'sagemaker', resource: packages })] }),
    );
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadReferencePrices', actions: ['s3:GetObject'], resources: [props.goldBucket.arnForObjects(REFERENCE_PRICES_OBJECTS)] }));
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
      [bucketObjects(props.goldBucket).replace(/\*$/, REFERENCE_PRICES_OBJECTS)]: 'the server reads only the reference_prices.json of the gold run its model package names',
      [arnFinding(stack, 'sagemaker', packages)]: 'DescribeModelPackage on the versions of the one model package group: the rollout names the version in the pod annotation',
    });
    new CfnOutput(stack, 'ServingRoleArn', { value: this.role.roleArn, description: 'IRSA role for infra/eks/render.ts' });
    new CfnOutput(stack, 'ServingGoldBucketName', { value: props.goldBucket.bucketName, description: 'gold bucket the serving pods read reference prices from (infra/eks/render.ts)' });
  }
}
