import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EksEmulator, mergeDeploymentPatch } from '../../../local/aws/eks.js';

const PATH = '/apis/apps/v1/namespaces/serving/deployments/model';
let now = 1_000_000;
let eks: EksEmulator;

beforeEach(async () => {
  now = 1_000_000;
  eks = new EksEmulator(mkdtempSync(join(tmpdir(), 'eks-test-')), { rolloutDelayMs: 500, now: () => now });
  await eks.applyDeployment('cluster', {
    metadata: { name: 'model', namespace: 'serving' },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'model', image: 'xgb:1', env: [{ name: 'MODEL', value: 'v1' }] }, { name: 'sidecar', image: 'log:1' }] } } },
  });
  now += 1000;
});

const call = (Method: string, RequestBody?: unknown, Path = PATH) => eks.call('Call', { ClusterName: 'cluster', Method, Path, RequestBody });
type Body = { metadata: { generation: number }; spec: { template: { spec: { containers: Array<{ name: string; image: string }> } } }; status: Record<string, unknown> };

describe('EksEmulator eks:call', () => {
  it('returns the deployment in the eks:call response shape', async () => {
    const out = await call('GET');
    expect(out).toMatchObject({ StatusCode: 200, StatusText: 'OK', ResponseBody: { kind: 'Deployment', metadata: { name: 'model', generation: 1 } } });
  });

  it('bumps the generation on a PATCH that changes the spec', async () => {
    const out = await call('PATCH', { spec: { template: { spec: { containers: [{ name: 'model', image: 'xgb:2' }] } } } });
    expect((out.ResponseBody as Body).metadata.generation).toBe(2);
  });

  it('merges containers by name and keeps the others', async () => {
    const out = await call('PATCH', { spec: { template: { spec: { containers: [{ name: 'model', image: 'xgb:2' }] } } } });
    expect((out.ResponseBody as Body).spec.template.spec.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['model=xgb:2', 'sidecar=log:1']);
  });

  it('reports the rollout in progress right after a PATCH', async () => {
    await call('PATCH', { spec: { template: { spec: { containers: [{ name: 'model', image: 'xgb:2' }] } } } });
    const status = ((await call('GET')).ResponseBody as Body).status;
    expect(status).toMatchObject({ observedGeneration: 2, updatedReplicas: 0 });
  });

  it('completes the rollout after the delay', async () => {
    await call('PATCH', { spec: { template: { spec: { containers: [{ name: 'model', image: 'xgb:2' }] } } } });
    now += 500;
    const status = ((await call('GET')).ResponseBody as Body).status;
    expect(status).toMatchObject({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', reason: 'NewReplicaSetAvailable' }));
  });

  it('keeps the generation on a metadata-only PATCH', async () => {
    const out = await call('PATCH', { metadata: { annotations: { note: 'x' } } });
    expect((out.ResponseBody as Body).metadata.generation).toBe(1);
  });

  it('fails a missing deployment with a 404 Status response', async () => {
    const error = await call('GET', undefined, '/apis/apps/v1/namespaces/serving/deployments/ghost').catch((e: Error) => e);
    expect(error).toMatchObject({ name: '404' });
    expect(JSON.parse((error as Error).message)).toMatchObject({ StatusCode: 404, ResponseBody: { kind: 'Status', reason: 'NotFound', code: 404 } });
  });

  it('refuses to create an existing deployment with 409', async () => {
    const create = call('POST', { metadata: { name: 'model' }, spec: {} }, '/apis/apps/v1/namespaces/serving/deployments');
    await expect(create).rejects.toMatchObject({ name: '409' });
  });

  it('deletes a container entry marked $patch delete', () => {
    const merged = mergeDeploymentPatch({ containers: [{ name: 'a' }, { name: 'b' }] }, { containers: [{ name: 'a', $patch: 'delete' }] });
    expect(merged).toEqual({ containers: [{ name: 'b' }] });
  });
});
