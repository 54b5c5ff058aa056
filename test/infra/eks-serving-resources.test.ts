/**
 * `/predict` on EKS (`deployTarget: 'eks'`): the serving image's ECR repository, the pods' IRSA
 * role, and no public /predict that would call a SageMaker endpoint this target never deploys.
 */
import { describe, expect, it } from 'vitest';
import { KEEP_TAGGED_IMAGES, REFERENCE_PRICES_OBJECTS, SERVING_REPOSITORY_NAME, SERVING_ROLE_NAME, UNTAGGED_DAYS } from '../../infra/eks/eks-serving-resources.js';
import { resolveConfig } from '../../workflow/config.js';
import { EKS_OIDC_ISSUER, EKS_OPTIONS } from '../support/platform-options.js';
import { synthForTest } from '../support/synth.js';

const ISSUER = EKS_OIDC_ISSUER;
const { template } = synthForTest(EKS_OPTIONS);
const resources = template.Resources as Record<string, any>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const [[roleId, role]] = ofType('AWS::IAM::Role').filter(([, r]) => r.Properties.RoleName === SERVING_ROLE_NAME) as [[string, any]];
const statements = ofType('AWS::IAM::Policy')
  .filter(([, p]) => p.Properties.Roles.some((ref: any) => ref.Ref === roleId))
  .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);

describe('EKS serving resources', () => {
  it('creates no API Gateway /predict and nothing that invokes a SageMaker endpoint', () => {
    expect(ofType('AWS::ApiGateway::RestApi')).toEqual([]);
    expect(JSON.stringify(resources)).not.toContain('sagemaker:InvokeEndpoint');
    expect(Object.keys(template.Outputs)).not.toContain('PredictApiUrl');
  });

  it('keeps the serving image in an ECR repository that scans on push, with immutable tags and KMS', () => {
    const [[, repository]] = ofType('AWS::ECR::Repository') as [[string, any]];

    expect(repository.Properties).toMatchObject({
      RepositoryName: SERVING_REPOSITORY_NAME,
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] } },
    });
    expect(repository.DeletionPolicy).toBe('Retain');
  });

  it('expires untagged images and keeps a bounded number of images', () => {
    const [[, repository]] = ofType('AWS::ECR::Repository') as [[string, any]];
    const rules = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;

    expect(rules.map((r: any) => r.selection)).toEqual([
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: UNTAGGED_DAYS, countUnit: 'days' },
      { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: KEEP_TAGGED_IMAGES },
    ]);
  });

  it('lets only the serving service account assume the IRSA role, through the cluster\'s OIDC provider', () => {
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:oidc-provider/${ISSUER}`]] } },
        Condition: { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com', [`${ISSUER}:sub`]: 'system:serviceaccount:pricesense:pricesense-serving' } },
      },
    ]);
  });

  it('grants exactly the calls of the init container and of `pricesense serve --aws`, each on its resources', () => {
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));

    expect(statements.map((s) => s.Sid).sort()).toEqual(['DescribeServedModelPackage', 'ReadCustomerFeatures', 'ReadModelArchives', 'ReadReferencePrices', 'UseDataKeyThroughServices', 'WriteInferenceLog']);
    expect(bySid.DescribeServedModelPackage.Action).toBe('sagemaker:DescribeModelPackage');
    expect(JSON.stringify(bySid.DescribeServedModelPackage.Resource)).toMatch(/:model-package\/pricesense-[a-z-]+\/\*"\]\]\}$/);
    expect(bySid.ReadReferencePrices).toMatchObject({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^GoldBucket/), 'Arn'] }, `/${REFERENCE_PRICES_OBJECTS}`]] } });
    expect(bySid.ReadCustomerFeatures.Action).toBe('sagemaker:GetRecord');
    expect(JSON.stringify(bySid.ReadCustomerFeatures.Resource)).toContain(':feature-group/pricesense-customer-history');
    expect(bySid.ReadModelArchives).toMatchObject({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ArtifactsBucket/), 'Arn'] }, '/training/*']] } });
    expect(bySid.WriteInferenceLog).toMatchObject({ Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^InferenceLogTable/), 'Arn'] } });
    expect(bySid.UseDataKeyThroughServices.Condition.StringEquals['kms:ViaService']).toEqual(['s3.us-east-1.amazonaws.com', 'dynamodb.us-east-1.amazonaws.com', 'sagemaker.us-east-1.amazonaws.com']);
  });

  it('outputs the repository URI, the role ARN and the gold bucket for the image push and the manifest rendering', () => {
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining(['ServingRepositoryUri', 'ServingRoleArn', 'ServingGoldBucketName']));
    expect(template.Outputs.ServingGoldBucketName.Value).toEqual({ Ref: expect.stringMatching(/^GoldBucket/) });
  });

  it('rejects an OIDC issuer given as a URL, naming the value', () => {
    expect(() => resolveConfig({ eks: { oidcIssuer: `https://${ISSUER}` } })).toThrow(`eks.oidcIssuer must be the cluster's OIDC issuer without https:// (oidc.eks.<region>.amazonaws.com/id/<id>), got "https://${ISSUER}"`);
  });
});
