/**
 * The CI/CD option (`cicd.githubRepository`): the GitHub OIDC stack's provider and deploy role,
 * and the smoke-test role in the pipeline stack, each checked for what it may do and who may
 * assume it. Synthesized with cdk-nag on (synthesis throws on any unacknowledged finding).
 */
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_ROLE_PURPOSES, DEPLOY_ROLE_NAME, GITHUB_OIDC_STACK_NAME, GitHubOidcStack, SMOKE_ROLE_NAME } from '../../infra/cicd/github-oidc-stack.js';
import { DEFAULT_CONFIG, resolveConfig } from '../../workflow/config.js';
import { PLATFORM_OPTIONS, PLATFORM_REPOSITORY } from '../support/platform-options.js';
import { synthForTest } from '../support/synth.js';

const REPO = PLATFORM_REPOSITORY;
const synthesized = synthForTest(PLATFORM_OPTIONS);
const oidc = synthesized.templates[GITHUB_OIDC_STACK_NAME] as { Resources: Record<string, any>; Outputs: Record<string, any> };
const pipeline = synthesized.template.Resources as Record<string, any>;

const ofType = (resources: Record<string, any>, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const roleNamed = (resources: Record<string, any>, name: string) => {
  const found = ofType(resources, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === name);
  if (!found) throw new Error(`no role ${name}`);
  return found;
};
const statementsOfRole = (resources: Record<string, any>, logicalId: string) =>
  ofType(resources, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((ref: any) => ref.Ref === logicalId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);
const GITHUB_CONDITION = {
  StringEquals: {
    'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
    'token.actions.githubusercontent.com:sub': `repo:${REPO}:environment:production`,
  },
};

describe('GitHub OIDC stack', () => {
  it('creates the GitHub OIDC provider for the STS audience', () => {
    const providers = ofType(oidc.Resources, 'AWS::IAM::OIDCProvider');

    expect(providers).toHaveLength(1);
    expect(providers[0]![1].Properties).toEqual({ Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
  });

  it('lets only the repository\'s production environment assume the deploy role, by web identity', () => {
    const [, role] = roleNamed(oidc.Resources, DEPLOY_ROLE_NAME);
    const [providerId] = ofType(oidc.Resources, 'AWS::IAM::OIDCProvider')[0]!;

    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRoleWithWebIdentity', Effect: 'Allow', Principal: { Federated: { Ref: providerId } }, Condition: GITHUB_CONDITION },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
  });

  it('allows the deploy role nothing but assuming the four CDK bootstrap roles of this account and Region', () => {
    const [logicalId] = roleNamed(oidc.Resources, DEPLOY_ROLE_NAME);
    const statements = statementsOfRole(oidc.Resources, logicalId);

    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'] });
    const resources = (statements[0].Resource as any[]).map((r) => JSON.stringify(r));
    expect(resources).toHaveLength(BOOTSTRAP_ROLE_PURPOSES.length);
    for (const [i, purpose] of BOOTSTRAP_ROLE_PURPOSES.entries()) {
      expect(resources[i]).toContain(`:role/cdk-hnb659fds-${purpose}-role-`);
      expect(resources[i]).toContain('-us-east-1');
      expect(resources[i]).not.toContain('*');
    }
  });

  it('reuses an existing provider (one per account) and honours a custom bootstrap qualifier', () => {
    const app = new App();
    const existing = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const stack = new GitHubOidcStack(app, 'Oidc', {
      cicd: { ...DEFAULT_CONFIG.cicd, githubRepository: REPO, existingOidcProviderArn: existing, bootstrapQualifier: 'ps2' },
      env: { region: 'eu-west-1' },
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [{ Principal: { Federated: existing } }] } });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain(':role/cdk-ps2-deploy-role-');
  });

  it('outputs the deploy role ARN', () => {
    expect(oidc.Outputs.DeployRoleArn.Value).toEqual({ 'Fn::GetAtt': [roleNamed(oidc.Resources, DEPLOY_ROLE_NAME)[0], 'Arn'] });
  });
});

describe('smoke-test role (pipeline stack)', () => {
  const [logicalId, role] = roleNamed(pipeline, SMOKE_ROLE_NAME);
  const statements = statementsOfRole(pipeline, logicalId);
  const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));

  it('trusts the same GitHub environment through the account\'s OIDC provider', () => {
    const [statement] = role.Properties.AssumeRolePolicyDocument.Statement;

    expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement.Condition).toEqual(GITHUB_CONDITION);
    expect(JSON.stringify(statement.Principal.Federated)).toContain(':oidc-provider/token.actions.githubusercontent.com');
  });

  it('may put objects only under raw/ci-smoke/ of the raw bucket, encrypted through S3', () => {
    expect(bySid.PutSmokeSample).toMatchObject({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^RawBucket/), 'Arn'] }, '/raw/ci-smoke/*']] } });
    expect(bySid.EncryptSmokeSample).toMatchObject({ Action: 'kms:GenerateDataKey', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } });
  });

  it('may read only smoke executions of the pipeline and this stack\'s outputs', () => {
    expect(bySid.WatchSmokeExecution.Action).toBe('states:DescribeExecution');
    expect(JSON.stringify(bySid.WatchSmokeExecution.Resource)).toContain(':execution:pricesense-pipeline:ci-smoke-*');
    expect(bySid.ReadStackOutputs).toMatchObject({ Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } });
  });

  it('has no action beyond the five it needs', () => {
    expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual(['cloudformation:DescribeStacks', 'kms:Decrypt', 'kms:GenerateDataKey', 's3:PutObject', 'states:DescribeExecution']);
  });
});

describe('cicd configuration', () => {
  it('adds no CI/CD resources by default', () => {
    const plain = synthForTest({});

    expect(Object.keys(plain.templates)).toEqual(['Pricesense']);
    expect(ofType(plain.template.Resources, 'AWS::IAM::Role').map(([, r]) => r.Properties.RoleName)).not.toContain(SMOKE_ROLE_NAME);
  });

  it('rejects a repository that is not owner/name', () => {
    expect(() => resolveConfig({ cicd: { githubRepository: 'https://github.com/acme/pricesense' } })).toThrow(
      'cicd.githubRepository must be "owner/name" of a GitHub repository, got "https://github.com/acme/pricesense"',
    );
  });

  it('rejects an existing provider ARN for another issuer', () => {
    expect(() => resolveConfig({ cicd: { githubRepository: REPO, existingOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example.com' } })).toThrow(
      'cicd.existingOidcProviderArn must be the ARN of the token.actions.githubusercontent.com OIDC provider',
    );
  });
});
