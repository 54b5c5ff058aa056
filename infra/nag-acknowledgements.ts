/**
 * cdk-nag acknowledgements, each narrowed to one finding (`RuleId[Finding]`) on one construct
 * subtree and carrying the reason the wildcard or deviation is intended.
 */
import { Stack, Validations, type CfnResource, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const PACK = 'AwsSolutions::';

/** Action groups CDK's grant* methods emit on one named bucket or key. */
export const GRANT_ACTION_REASONS: Record<string, string> = {
  'Action::s3:GetObject*': 'CDK grantRead action group (GetObject, GetObjectVersion, ...) on objects of one named pricesense bucket',
  'Action::s3:GetBucket*': 'CDK grantRead action group (GetBucketLocation, ...) on one named pricesense bucket',
  'Action::s3:List*': 'CDK grantRead action group (ListBucket, ListBucketVersions) on one named pricesense bucket',
  'Action::s3:DeleteObject*': 'CDK grantReadWrite action group on objects of one named pricesense bucket (the writer rewrites its own run prefix)',
  'Action::s3:Abort*': 'CDK grantWrite action group (AbortMultipartUpload) on objects of one named pricesense bucket',
  'Action::kms:GenerateDataKey*': 'CDK grantEncryptDecrypt action group on the single pricesense data key',
  'Action::kms:ReEncrypt*': 'CDK grantEncryptDecrypt action group on the single pricesense data key',
};

/**
 * Acknowledges, on each IAM policy under `scope`, exactly the CDK grant action groups
 * (GRANT_ACTION_REASONS) its statements hold: an acknowledgement on a policy without the finding
 * would acknowledge nothing (test/validators/nag-acknowledgements.test.ts checks that none does).
 */
export function acknowledgeGrantActions(scope: IConstruct): void {
  for (const node of scope.node.findAll()) {
    if (!(node instanceof iam.Policy) && !(node instanceof iam.ManagedPolicy)) continue;
    const document = Stack.of(node).resolve(node.document.toJSON()) as { Statement?: Array<{ Action?: string | string[] }> } | undefined;
    const actions = new Set((document?.Statement ?? []).flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : statement.Action ? [statement.Action] : [])));
    const findings = Object.fromEntries(Object.entries(GRANT_ACTION_REASONS).filter(([finding]) => actions.has(finding.slice('Action::'.length))));
    // On the role when the policy is a role's: CDK moves statements of a large default policy into
    // overflow managed policies under the role at synthesis, and the finding moves with them.
    const owner = node.node.scope instanceof iam.Role ? node.node.scope : node;
    if (Object.keys(findings).length > 0) acknowledgeFindings(owner, findings);
  }
}

export function acknowledgeFindings(scope: IConstruct, findings: Record<string, string>, rule = 'AwsSolutions-IAM5'): void {
  for (const [finding, reason] of Object.entries(findings)) {
    Validations.of(scope).acknowledge({ id: `${PACK}${rule}[${finding}]`, reason });
  }
}

export function acknowledgeRule(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${PACK}${rule}`, reason });
}

/** `Resource::<Bucket.Arn>/<prefix>*` finding of a bucket object grant. */
export function bucketObjects(bucket: s3.IBucket, prefix = ''): string {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnResource);
  return `Resource::<${logicalId}.Arn>/${prefix}*`;
}

/** `Resource::<Function.Arn>:*` finding CDK's LambdaInvoke emits for function versions. */
export function functionVersions(fn: IConstruct): string {
  const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnResource);
  return `Resource::<${logicalId}.Arn>:*`;
}

/** `Resource::arn:<AWS::Partition>:<service>:<region>:<AWS::AccountId>:<resource>` finding. */
export function arnFinding(stack: Stack, service: string, resource: string, regional = true): string {
  return `Resource::arn:<AWS::Partition>:${service}:${regional ? stack.region : ''}:<AWS::AccountId>:${resource}`;
}
