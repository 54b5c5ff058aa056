/**
 * Authorizes requests of one principal (a role of the template) with `@cloud-copilot/iam-simulate`
 * over the template's identity policies and the resource's policy, and says why AWS would refuse.
 *
 * Request context fed to every simulation (a local run has no real request to take them from):
 * - `aws:SecureTransport` = `true`: the SDKs and every AWS service call over TLS, so TLS-only bucket
 *   and topic policies (`Deny` when `false`) never deny a local call, as on AWS.
 * - `aws:PrincipalArn` = the role ARN, `aws:PrincipalAccount` = the template's account (local
 *   `000000000000`), `aws:PrincipalType` = `AssumedRole`, `aws:RequestedRegion` = the Region the
 *   template was synthesized for.
 * - Per call: the condition keys the API sets (`s3:prefix`, `iam:PassedToService`,
 *   `kms:ViaService`, `kms:EncryptionContext:…`, `cloudwatch:namespace`,
 *   `application-autoscaling:*`). Keys nobody sets (e.g. `aws:SourceIp`, `aws:CurrentTime`) are
 *   absent, so a condition on them does not match.
 * Results are cached per (principal, action, resource, context): a run repeats few distinct requests.
 */
import type { RunSimulationResults } from '@cloud-copilot/iam-simulate';
import type { IamRequest } from './call-requests.js';
import { DecisionCache } from './decision-cache.js';
import type { TemplateIam, TemplateRole } from './template-iam.js';

export interface Principal {
  roleArn: string;
  /** Session name in the assumed-role ARN AWS prints in denials. */
  sessionName: string;
}

export interface Denial {
  principal: Principal;
  request: IamRequest;
  kind: 'implicit' | 'explicit-identity' | 'explicit-resource' | 'unknown-role';
  /** AWS's message form. */
  message: string;
}

export interface AuthorizerStats {
  simulations: number;
  cacheHits: number;
  /** Decisions taken from an earlier run's cache file. */
  diskHits: number;
  simulationMs: number;
  denials: number;
}

export class IamAuthorizer {
  readonly stats: AuthorizerStats = { simulations: 0, cacheHits: 0, diskHits: 0, simulationMs: 0, denials: 0 };
  private readonly cache = new Map<string, Promise<Denial['kind'] | undefined>>();
  private readonly disk: DecisionCache | undefined;

  /** `persist`: keep decisions on disk between runs (see decision-cache.ts). */
  constructor(
    readonly iam: TemplateIam,
    readonly account: string,
    options: { persist?: boolean } = {},
  ) {
    this.disk = options.persist ? new DecisionCache(iam) : undefined;
  }

  /** The first request AWS would refuse, or undefined when all are allowed. */
  async firstDenial(principal: Principal, requests: readonly IamRequest[]): Promise<Denial | undefined> {
    for (const request of requests) {
      const kind = await this.evaluate(principal.roleArn, request);
      if (kind) {
        this.stats.denials += 1;
        return { principal, request, kind, message: denialMessage(principal, request, kind, this.account) };
      }
    }
    return undefined;
  }

  private evaluate(roleArn: string, request: IamRequest): Promise<Denial['kind'] | undefined> {
    const key = JSON.stringify([roleArn, request.action, request.resource, request.context ?? {}]);
    const cached = this.cache.get(key);
    if (cached) {
      this.stats.cacheHits += 1;
      return cached;
    }
    const stored = this.disk?.get(key);
    if (stored !== undefined) {
      this.stats.diskHits += 1;
      const decision = Promise.resolve((stored ?? undefined) as Denial['kind'] | undefined);
      this.cache.set(key, decision);
      return decision;
    }
    const result = this.simulate(roleArn, request);
    this.cache.set(key, result);
    if (this.disk) void result.then((kind) => this.disk!.set(key, kind ?? null), () => undefined);
    return result;
  }

  private async simulate(roleArn: string, request: IamRequest): Promise<Denial['kind'] | undefined> {
    const role = this.iam.roles.get(roleArn);
    if (!role) return 'unknown-role';
    // Loaded on the first decision not stored from an earlier run: a run whose decisions are all on
    // disk never loads the simulator (about a hundred modules of start-up).
    const { runSimulation } = await import('@cloud-copilot/iam-simulate');
    const started = performance.now();
    const results = await runSimulation(
      {
        request: {
          principal: roleArn,
          action: request.action,
          resource: { resource: request.resource, accountId: this.account },
          contextVariables: { ...this.baseContext(role), ...(request.context ?? {}) },
        },
        identityPolicies: role.policies.map((policy, index) => ({ name: `${policy.name}#${index}`, policy: policy.policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(this.resourcePolicy(request) !== undefined ? { resourcePolicy: this.resourcePolicy(request) } : {}),
      },
      {},
    );
    this.stats.simulations += 1;
    this.stats.simulationMs += performance.now() - started;
    return denialKind(results, request);
  }

  private baseContext(role: TemplateRole): Record<string, string> {
    return {
      'aws:SecureTransport': 'true',
      'aws:PrincipalArn': role.arn,
      'aws:PrincipalAccount': this.account,
      'aws:PrincipalType': 'AssumedRole',
      'aws:RequestedRegion': this.iam.region,
    };
  }

  /** Bucket policy for S3, key policy for KMS, topic policy for SNS; others take identity policies only. */
  private resourcePolicy(request: IamRequest): unknown {
    if (request.action.startsWith('s3:')) {
      const bucket = /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(request.resource)?.[1];
      return bucket ? this.iam.bucketPolicies.get(bucket) : undefined;
    }
    if (request.action.startsWith('kms:')) return this.iam.keyPolicies.get(request.resource);
    if (request.action.startsWith('sns:')) return this.iam.topicPolicies.get(request.resource);
    return undefined;
  }
}

function denialKind(results: RunSimulationResults, request: IamRequest): Denial['kind'] | undefined {
  if (results.resultType === 'error') {
    throw new Error(`IAM simulation of ${request.action} on ${request.resource} could not run: ${results.errors.message} ${JSON.stringify(results.errors).slice(0, 500)}`);
  }
  if (results.overallResult === 'Allowed') return undefined;
  const analysis = results.resultType === 'single' ? results.result.analysis : results.results[0]?.analysis;
  if (analysis?.identityAnalysis?.result === 'ExplicitlyDenied') return 'explicit-identity';
  if (analysis?.resourceAnalysis?.result === 'ExplicitlyDenied') return 'explicit-resource';
  return 'implicit';
}

/** `arn:aws:iam::111:role/path/name` → `arn:aws:sts::111:assumed-role/name/<session>`. */
export function assumedRoleArn(principal: Principal): string {
  const match = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principal.roleArn);
  if (!match) return principal.roleArn;
  return `arn:${match[1]}:sts::${match[2]}:assumed-role/${match[3]}/${principal.sessionName}`;
}

/**
 * AWS's message: "User: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION is not authorized to
 * perform: ACTION on resource: ARN because no identity-based policy allows the ACTION action"
 * (or "with an explicit deny in an identity-based / a resource-based policy").
 */
export function denialMessage(principal: Principal, request: IamRequest, kind: Denial['kind'], _account: string): string {
  const who = `User: ${assumedRoleArn(principal)} is not authorized to perform: ${request.action} on resource: ${request.resource}`;
  switch (kind) {
    case 'explicit-identity':
      return `${who} with an explicit deny in an identity-based policy`;
    case 'explicit-resource':
      return `${who} with an explicit deny in a resource-based policy`;
    case 'unknown-role':
      return `${who} because the role is not defined in the synthesized template, so no policy allows the ${request.action} action`;
    default:
      return `${who} because no identity-based policy allows the ${request.action} action`;
  }
}
