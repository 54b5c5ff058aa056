/**
 * Local EKS for the `eks:call` integration: one Kubernetes Deployment record per
 * cluster/namespace/name under `<stateDir>/eks/`. GET/POST/PATCH/DELETE on
 * `/apis/apps/v1/namespaces/<ns>/deployments[/<name>]`; a spec change bumps
 * `metadata.generation` and the rollout completes (status catches up) after `rolloutDelayMs`,
 * so a workflow's "wait, read, check rollout" loop behaves as against a real cluster.
 *
 * Responses are what eks:call returns: `{ResponseBody, StatusCode, StatusText, Headers}`.
 * Failures throw an AwsServiceError named by the HTTP status code ("404") whose message is that
 * same response as JSON; the Step Functions layer turns it into `EKS.404`.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from './emulator.js';
import { writeJsonAtomic } from '../state/atomic-write.js';
import { withStateLock } from '../state/lock.js';

type Json = Record<string, unknown>;

export interface DeploymentRecord {
  deployment: Json;
  /** Epoch ms when the rollout of the current generation completes. */
  rolloutCompletesAt: number;
}

export interface EksEmulatorOptions {
  /** How long a rollout takes. @default 500 */
  rolloutDelayMs?: number;
  now?: () => number;
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 422: 'Unprocessable Entity' };
const DEPLOYMENT_PATH = /^\/apis\/apps\/v1\/namespaces\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/deployments(?:\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?))?\/?$/;
const CONTAINER_LISTS = new Set(['containers', 'initContainers']);

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * JSON merge patch (RFC 7386) with Kubernetes' strategic-merge rule for container lists: entries
 * are merged by `name` instead of replacing the list, and `{"name": x, "$patch": "delete"}` removes one.
 */
export function mergeDeploymentPatch(target: unknown, patch: unknown, key = ''): unknown {
  if (CONTAINER_LISTS.has(key) && Array.isArray(patch) && Array.isArray(target)) {
    const merged = target.map((item) => structuredClone(item) as unknown);
    for (const entry of patch) {
      if (!isObject(entry) || typeof entry.name !== 'string') {
        merged.push(entry);
        continue;
      }
      const index = merged.findIndex((item) => isObject(item) && item.name === entry.name);
      if (entry.$patch === 'delete') {
        if (index >= 0) merged.splice(index, 1);
      } else if (index >= 0) merged[index] = mergeDeploymentPatch(merged[index], entry);
      else merged.push(entry);
    }
    return merged;
  }
  if (!isObject(patch)) return structuredClone(patch);
  const result: Json = isObject(target) ? structuredClone(target) : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else result[name] = mergeDeploymentPatch(result[name], value, name);
  }
  return result;
}

function statusFailure(code: number, reason: string, message: string, name?: string): Json {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details: name === undefined ? { group: 'apps', kind: 'deployments' } : { name, group: 'apps', kind: 'deployments' },
    code,
  };
}

function response(statusCode: number, body: Json): Json {
  return {
    ResponseBody: body,
    StatusCode: statusCode,
    StatusText: STATUS_TEXT[statusCode] ?? String(statusCode),
    Headers: { 'Content-Type': ['application/json'], Date: [new Date().toUTCString()] },
  };
}

function fail(statusCode: number, body: Json): never {
  throw new AwsServiceError(String(statusCode), JSON.stringify(response(statusCode, body)), { httpStatusCode: statusCode });
}

export class EksEmulator implements AwsServiceEmulator {
  readonly service = 'eks';
  /** `Call` is the `eks:call` integration (not an EKS API action). */
  readonly actions = ['Call'] as const;
  private readonly rolloutDelayMs: number;
  private readonly now: () => number;

  constructor(
    private readonly stateDir: string,
    options: EksEmulatorOptions = {},
  ) {
    this.rolloutDelayMs = options.rolloutDelayMs ?? 500;
    this.now = options.now ?? Date.now;
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action !== 'Call') throw unsupportedAction(this.service, action, this.actions);
    const cluster = input.ClusterName;
    if (typeof cluster !== 'string' || cluster.length === 0) {
      throw new AwsServiceError('ValidationException', `eks:call needs ClusterName, got ${JSON.stringify(cluster)}`);
    }
    const method = String(input.Method ?? '').toUpperCase();
    const path = String(input.Path ?? '');
    const match = DEPLOYMENT_PATH.exec(path);
    if (!match) {
      fail(404, statusFailure(404, 'NotFound', `the local EKS cluster only serves /apis/apps/v1/namespaces/<namespace>/deployments[/<name>], not ${path}`));
    }
    const namespace = match[1]!;
    const name = match[3];
    const body = typeof input.RequestBody === 'string' ? (JSON.parse(input.RequestBody) as unknown) : input.RequestBody;
    if (name === undefined) {
      if (method !== 'POST') fail(405, statusFailure(405, 'MethodNotAllowed', `${method} on a deployment collection is not supported locally; use POST`));
      return this.create(cluster, namespace, body);
    }
    switch (method) {
      case 'GET':
        return response(200, await this.read(cluster, namespace, name));
      case 'PATCH':
        return this.patch(cluster, namespace, name, body);
      case 'DELETE':
        return this.remove(cluster, namespace, name);
      default:
        fail(405, statusFailure(405, 'MethodNotAllowed', `Method ${JSON.stringify(method)} is not one of GET, PATCH, DELETE for a deployment`));
    }
  }

  /** Creates or replaces a deployment directly (bootstrap from manifests, tests). */
  async applyDeployment(cluster: string, deployment: Json): Promise<void> {
    const metadata = (deployment.metadata ?? {}) as Json;
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
    const name = String(metadata.name ?? '');
    await withStateLock(this.stateDir, `eks-${cluster}-${namespace}-${name}`, async () => {
      const existing = await this.load(cluster, namespace, name);
      if (existing) return;
      await this.save(cluster, namespace, name, this.newRecord(namespace, name, deployment));
    });
  }

  /** The deployment as GET returns it, or undefined. Serving reads the image/model from here. */
  async readDeployment(cluster: string, namespace: string, name: string): Promise<Json | undefined> {
    const record = await this.load(cluster, namespace, name);
    return record && this.withStatus(record);
  }

  private recordPath(cluster: string, namespace: string, name: string): string {
    return join(this.stateDir, 'eks', cluster, namespace, `${name}.json`);
  }

  private async load(cluster: string, namespace: string, name: string): Promise<DeploymentRecord | undefined> {
    const text = await readFile(this.recordPath(cluster, namespace, name), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as DeploymentRecord);
  }

  private async save(cluster: string, namespace: string, name: string, record: DeploymentRecord): Promise<void> {
    await writeJsonAtomic(this.recordPath(cluster, namespace, name), record);
  }

  private async read(cluster: string, namespace: string, name: string): Promise<Json> {
    const found = await this.readDeployment(cluster, namespace, name);
    if (!found) fail(404, statusFailure(404, 'NotFound', `deployments.apps "${name}" not found`, name));
    return found;
  }

  private newRecord(namespace: string, name: string, body: Json): DeploymentRecord {
    const metadata = isObject(body.metadata) ? body.metadata : {};
    const deployment: Json = {
      ...body,
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...metadata, name, namespace, uid: randomUUID(), generation: 1, resourceVersion: '1', creationTimestamp: new Date(this.now()).toISOString() },
    };
    delete deployment.status;
    return { deployment, rolloutCompletesAt: this.now() + this.rolloutDelayMs };
  }

  private async create(cluster: string, namespace: string, body: unknown): Promise<Json> {
    if (!isObject(body) || !isObject(body.metadata) || typeof body.metadata.name !== 'string' || !isObject(body.spec)) {
      fail(422, statusFailure(422, 'Invalid', 'Deployment.apps is invalid: metadata.name and spec are required'));
    }
    const name = body.metadata.name as string;
    return withStateLock(this.stateDir, `eks-${cluster}-${namespace}-${name}`, async () => {
      if (await this.load(cluster, namespace, name)) {
        fail(409, { ...statusFailure(409, 'AlreadyExists', `deployments.apps "${name}" already exists`, name) });
      }
      const record = this.newRecord(namespace, name, body);
      await this.save(cluster, namespace, name, record);
      return response(201, this.withStatus(record));
    });
  }

  private async patch(cluster: string, namespace: string, name: string, body: unknown): Promise<Json> {
    if (!isObject(body)) fail(400, statusFailure(400, 'BadRequest', `PATCH needs a JSON object RequestBody, got ${JSON.stringify(body)}`));
    return withStateLock(this.stateDir, `eks-${cluster}-${namespace}-${name}`, async () => {
      const record = await this.load(cluster, namespace, name);
      if (!record) fail(404, statusFailure(404, 'NotFound', `deployments.apps "${name}" not found`, name));
      const before = record.deployment;
      const { status: _ignored, ...patchWithoutStatus } = body;
      const after = mergeDeploymentPatch(before, patchWithoutStatus) as Json;
      const oldMeta = before.metadata as Json;
      const specChanged = JSON.stringify(before.spec) !== JSON.stringify(after.spec);
      const generation = Number(oldMeta.generation ?? 1) + (specChanged ? 1 : 0);
      after.metadata = {
        ...(after.metadata as Json),
        name,
        namespace,
        uid: oldMeta.uid,
        generation,
        resourceVersion: String(Number(oldMeta.resourceVersion ?? 1) + 1),
      };
      const next: DeploymentRecord = { deployment: after, rolloutCompletesAt: specChanged ? this.now() + this.rolloutDelayMs : record.rolloutCompletesAt };
      await this.save(cluster, namespace, name, next);
      return response(200, this.withStatus(next));
    });
  }

  private async remove(cluster: string, namespace: string, name: string): Promise<Json> {
    return withStateLock(this.stateDir, `eks-${cluster}-${namespace}-${name}`, async () => {
      if (!(await this.load(cluster, namespace, name))) fail(404, statusFailure(404, 'NotFound', `deployments.apps "${name}" not found`, name));
      await rm(this.recordPath(cluster, namespace, name), { force: true });
      return response(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: 'apps', kind: 'deployments' } });
    });
  }

  /** The deployment with the status a deployment controller would report at this moment. */
  private withStatus(record: DeploymentRecord): Json {
    const deployment = structuredClone(record.deployment);
    const generation = Number((deployment.metadata as Json).generation ?? 1);
    const replicas = Number((deployment.spec as Json | undefined)?.replicas ?? 1);
    const done = this.now() >= record.rolloutCompletesAt;
    const at = new Date(Math.min(this.now(), record.rolloutCompletesAt)).toISOString();
    deployment.status = done
      ? {
          observedGeneration: generation,
          replicas,
          updatedReplicas: replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          conditions: [
            { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: at, lastTransitionTime: at },
            { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet has successfully progressed.`, lastUpdateTime: at, lastTransitionTime: at },
          ],
        }
      : {
          observedGeneration: generation,
          replicas,
          updatedReplicas: 0,
          readyReplicas: generation > 1 ? replicas : 0,
          availableReplicas: generation > 1 ? replicas : 0,
          unavailableReplicas: generation > 1 ? 0 : replicas,
          conditions: [
            { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet is progressing.', lastUpdateTime: at, lastTransitionTime: at },
          ],
        };
    return deployment;
  }
}
