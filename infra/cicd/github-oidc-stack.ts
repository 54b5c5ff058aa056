/**
 * The one-time stack that lets GitHub Actions deploy pricesense without stored AWS keys: the
 * GitHub OIDC identity provider and a deploy role that only the repository's deploy environment
 * can assume and that can do nothing but assume the CDK bootstrap roles (`cdk deploy` does the
 * rest through them, with the permissions `cdk bootstrap` gave them).
 *
 * Deployed by an administrator once per account and Region, before the first CI deploy:
 * `npx cdk deploy PricesenseGitHubOidc -c 'pricesense:config={"cicd":{"githubRepository":"owner/name"}}'`.
 */
import { CfnOutput, Stack, type StackProps, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CicdConfig } from '../../workflow/config.js';

export const GITHUB_OIDC_STACK_NAME = 'PricesenseGitHubOidc';
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';
export const DEPLOY_ROLE_NAME = 'pricesense-github-deploy';
export const SMOKE_ROLE_NAME = 'pricesense-github-smoke';
/** The roles `cdk bootstrap` creates (`cdk-<qualifier>-<purpose>-role-<account>-<region>`). */
export const BOOTSTRAP_ROLE_PURPOSES = ['deploy', 'file-publishing', 'image-publishing', 'lookup'] as const;

/** The `sub` claim GitHub puts into the token of a job that runs in `environment`. */
export function githubEnvironmentSubject(cicd: Pick<CicdConfig, 'githubRepository' | 'environment'>): string {
  return `repo:${cicd.githubRepository}:environment:${cicd.environment}`;
}

/** ARN of the account's GitHub OIDC provider (there is at most one per URL and account). */
export function githubOidcProviderArn(stack: Stack, cicd: Pick<CicdConfig, 'existingOidcProviderArn'>): string {
  return cicd.existingOidcProviderArn !== '' ? cicd.existingOidcProviderArn : `arn:${stack.partition}:iam::${stack.account}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/** Trust policy principal: web identity from the GitHub provider, one repository environment, STS audience. */
export function githubEnvironmentPrincipal(providerArn: string, cicd: Pick<CicdConfig, 'githubRepository' | 'environment'>): iam.IPrincipal {
  return new iam.WebIdentityPrincipal(providerArn, {
    StringEquals: {
      [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
      [`${GITHUB_OIDC_HOST}:sub`]: githubEnvironmentSubject(cicd),
    },
  });
}

export interface GitHubOidcStackProps extends StackProps {
  cicd: CicdConfig;
}

export class GitHubOidcStack extends Stack {
  readonly deployRole: iam.Role;

  constructor(scope: Construct, id: string, props: GitHubOidcStackProps) {
    super(scope, id, props);
    const { cicd } = props;
    if (cicd.githubRepository === '') throw new Error('GitHubOidcStack needs cicd.githubRepository ("owner/name")');

    let providerArn: string;
    if (cicd.existingOidcProviderArn === '') {
      // Native CloudFormation resource (no custom-resource Lambda); IAM verifies GitHub's
      // certificate through its own trust store, so no thumbprint is pinned.
      const provider = new iam.OidcProviderNative(this, 'GitHubOidcProvider', { url: `https://${GITHUB_OIDC_HOST}`, clientIds: [GITHUB_OIDC_AUDIENCE] });
      providerArn = provider.oidcProviderArn;
    } else {
      providerArn = cicd.existingOidcProviderArn;
    }

    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: DEPLOY_ROLE_NAME,
      description: `pricesense CI deploy: ${githubEnvironmentSubject(cicd)} may assume the CDK bootstrap roles, nothing else`,
      assumedBy: githubEnvironmentPrincipal(providerArn, cicd),
    });
    const bootstrapRoleArns = BOOTSTRAP_ROLE_PURPOSES.map(
      (purpose) => `arn:${this.partition}:iam::${this.account}:role/cdk-${cicd.bootstrapQualifier}-${purpose}-role-${this.account}-${this.region}`,
    );
    this.deployRole.addToPolicy(new iam.PolicyStatement({ sid: 'AssumeCdkBootstrapRoles', actions: ['sts:AssumeRole', 'sts:TagSession'], resources: bootstrapRoleArns }));

    new CfnOutput(this, 'DeployRoleArn', { value: this.deployRole.roleArn, description: 'GitHub repository variable AWS_DEPLOY_ROLE_ARN' });
    new CfnOutput(this, 'OidcProviderArn', { value: providerArn, description: 'cicd.existingOidcProviderArn for other apps in this account' });
  }
}
