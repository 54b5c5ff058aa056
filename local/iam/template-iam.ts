/**
 * The IAM side of a synthesized template, resolved to local names: every role with the policies
 * AWS would attach to it (inline `Policies`, `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy`
 * naming the role, AWS managed policy ARNs), the resource policies that take part in
 * authorization (bucket, KMS key and topic policies), which role each Lambda function, Glue job
 * and state machine runs as, and which KMS key encrypts each bucket and topic.
 */
import type { LocalNames, LocalResource } from '../template/index.js';
import { LOCAL_REGION } from '../template/index.js';

export interface NamedPolicy {
  name: string;
  policy: unknown;
}

export interface TemplateRole {
  logicalId: string;
  name: string;
  arn: string;
  policies: NamedPolicy[];
  /** AWS managed policy ARNs the local twin has no document for (they grant nothing locally). */
  unresolvedManagedPolicies: string[];
}

export interface TemplateIam {
  /** The Region the template was synthesized for (hard-coded Regions in its ARNs). */
  region: string;
  roles: Map<string, TemplateRole>;
  /** By physical function name. */
  functionRoles: Map<string, string>;
  /** By Glue job name. */
  glueJobRoles: Map<string, string>;
  /** By state machine ARN. */
  stateMachineRoles: Map<string, string>;
  bucketPolicies: Map<string, unknown>;
  /** Default SSE-KMS key ARN by bucket name (absent: SSE-S3 or unencrypted). */
  bucketKeys: Map<string, string>;
  keyPolicies: Map<string, unknown>;
  topicPolicies: Map<string, unknown>;
  topicKeys: Map<string, string>;
}

/**
 * AWS managed policies the template attaches, as far as the local twin needs them. Only their
 * Actions on the services a local run calls matter; AWSLambdaBasicExecutionRole grants CloudWatch
 * Logs only, which no local call needs, so it is modelled with exactly that statement.
 */
const AWS_MANAGED_POLICIES: Record<string, unknown> = {
  'service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
};

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function roleNameOf(reference: unknown): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const match = /:role\/(?:.*\/)?([^/]+)$/.exec(reference);
  return match ? match[1] : reference;
}

/** The Region the template's policies name most (`arn:aws:<service>:<region>:`), else the local default. */
function templateRegion(names: LocalNames): string {
  const counts = new Map<string, number>();
  for (const resource of names.values()) {
    if (!/^AWS::IAM::(Policy|ManagedPolicy)$/.test(resource.type)) continue;
    for (const match of JSON.stringify(resource.properties.PolicyDocument ?? {}).matchAll(/arn:aws[a-z-]*:(?:sagemaker|glue|states|athena|logs):([a-z]{2}(?:-[a-z]+)+-\d):/g)) {
      counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? LOCAL_REGION;
}

export function loadTemplateIam(names: LocalNames): TemplateIam {
  const iam: TemplateIam = {
    region: templateRegion(names),
    roles: new Map(),
    functionRoles: new Map(),
    glueJobRoles: new Map(),
    stateMachineRoles: new Map(),
    bucketPolicies: new Map(),
    bucketKeys: new Map(),
    keyPolicies: new Map(),
    topicPolicies: new Map(),
    topicKeys: new Map(),
  };
  const byName = new Map<string, TemplateRole>();
  const resources = [...names.entries()];
  const bucketByRef = new Map<string, string>();

  for (const [logicalId, resource] of resources) {
    if (resource.type !== 'AWS::IAM::Role') continue;
    const role: TemplateRole = { logicalId, name: resource.name, arn: resource.arn, policies: [], unresolvedManagedPolicies: [] };
    for (const inline of asList(resource.properties.Policies as Array<{ PolicyName: string; PolicyDocument: unknown }> | undefined)) {
      role.policies.push({ name: inline.PolicyName, policy: inline.PolicyDocument });
    }
    for (const arn of asList(resource.properties.ManagedPolicyArns as string[] | undefined)) attachManaged(role, String(arn), names);
    iam.roles.set(role.arn, role);
    byName.set(role.name, role);
  }

  for (const [logicalId, resource] of resources) {
    if (resource.type === 'AWS::IAM::Policy' || resource.type === 'AWS::IAM::ManagedPolicy') {
      const policyName = String(resource.properties.PolicyName ?? resource.properties.ManagedPolicyName ?? logicalId);
      for (const roleRef of asList(resource.properties.Roles as string[] | undefined)) {
        byName.get(roleNameOf(roleRef) ?? '')?.policies.push({ name: policyName, policy: resource.properties.PolicyDocument });
      }
    }
    if (resource.type === 'AWS::S3::Bucket') {
      bucketByRef.set(resource.name, resource.name);
      const rules = ((resource.properties.BucketEncryption as { ServerSideEncryptionConfiguration?: unknown[] } | undefined)?.ServerSideEncryptionConfiguration ?? []) as Array<{
        ServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string };
      }>;
      const kms = rules.find((rule) => rule.ServerSideEncryptionByDefault?.SSEAlgorithm?.startsWith('aws:kms'));
      if (kms) iam.bucketKeys.set(resource.name, keyArnOf(kms.ServerSideEncryptionByDefault?.KMSMasterKeyID, names) ?? `arn:aws:kms:${iam.region}:aws-managed:alias/aws/s3`);
    }
    if (resource.type === 'AWS::KMS::Key') iam.keyPolicies.set(resource.arn, resource.properties.KeyPolicy);
    if (resource.type === 'AWS::SNS::Topic' && resource.properties.KmsMasterKeyId !== undefined) {
      const key = keyArnOf(resource.properties.KmsMasterKeyId, names);
      if (key) iam.topicKeys.set(resource.arn, key);
    }
    if (resource.type === 'AWS::Lambda::Function' && typeof resource.properties.Role === 'string') iam.functionRoles.set(resource.name, resource.properties.Role);
    if (resource.type === 'AWS::Glue::Job' && typeof resource.properties.Role === 'string') iam.glueJobRoles.set(resource.name, roleArnOf(resource.properties.Role, byName));
    if (resource.type === 'AWS::StepFunctions::StateMachine' && typeof resource.properties.RoleArn === 'string') iam.stateMachineRoles.set(resource.arn, resource.properties.RoleArn);
  }

  for (const [, resource] of resources) {
    if (resource.type === 'AWS::S3::BucketPolicy') iam.bucketPolicies.set(String(resource.properties.Bucket), resource.properties.PolicyDocument);
    if (resource.type === 'AWS::SNS::TopicPolicy') {
      for (const topic of asList(resource.properties.Topics as string[] | undefined)) iam.topicPolicies.set(String(topic), resource.properties.PolicyDocument);
    }
  }
  return iam;
}

function roleArnOf(reference: string, byName: Map<string, TemplateRole>): string {
  if (reference.startsWith('arn:')) return reference;
  return byName.get(reference)?.arn ?? reference;
}

/** A key property may hold a key ARN, a key id or an alias; local names resolve Ref/GetAtt to the ARN. */
function keyArnOf(value: unknown, names: LocalNames): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.includes(':key/')) return value;
  for (const resource of names.values()) {
    if (resource.type === 'AWS::KMS::Key' && (resource.name === value || resource.arn.endsWith(`/${value}`))) return resource.arn;
    if (resource.type === 'AWS::KMS::Alias' && resource.properties.AliasName === value) return keyArnOf(resource.properties.TargetKeyId, names);
  }
  return undefined;
}

function attachManaged(role: TemplateRole, arn: string, names: LocalNames): void {
  const aws = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn);
  if (aws) {
    const document = AWS_MANAGED_POLICIES[aws[1]!];
    if (document) role.policies.push({ name: aws[1]!, policy: document });
    else role.unresolvedManagedPolicies.push(arn);
    return;
  }
  const local = [...names.values()].find((resource: LocalResource) => resource.type === 'AWS::IAM::ManagedPolicy' && resource.arn === arn);
  if (local) role.policies.push({ name: local.name, policy: local.properties.PolicyDocument });
  else role.unresolvedManagedPolicies.push(arn);
}
