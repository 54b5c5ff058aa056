/**
 * Issue 14 "a crash never breaks the next run": `pricesense run` (small data, endpoint rollout)
 * is SIGKILLed while work is still in flight — a `.sync` job of Glue (RawToSilver), Athena
 * (CheckDataQuality) and SageMaker (TrainModel, its xgboost child killed with it), the Distributed
 * Map's child executions (IngestFeatures), and an endpoint still Creating — and `pricesense
 * redrive` then ends SUCCEEDED with exactly one model version and the endpoint InService serving it.
 * kill-redrive-every-state.test.ts kills one execution once in every state, after each state's work;
 * the points here are the ones in the middle of a call, which that test does not reach.
 *
 * The local endpoint deployment of this small model usually finishes within milliseconds of
 * CreateEndpoint, so the last kill point waits for the endpoint record to say Creating and kills
 * then, leaving a deployment whose process died (resumed by the next reader, as SageMaker would
 * have carried it on).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointStore, readEndpointRecord } from '../../../local/aws/sagemaker/endpoints.js';
import { DEFAULT_CONFIG } from '../../../workflow/config.js';
import { liveEvents } from '../../support/live-events.js';

const CLI = join(process.cwd(), 'bin', 'pricesense.mjs');
const roots: string[] = [];

interface Event {
  type: string;
  stateEnteredEventDetails?: { name?: string };
}

const eventsOf = (file: string) => liveEvents<Event>(file);

/** True once `type` was recorded after the last entry into `state` (any event when `type` is undefined). */
function after(state: string, type?: string): (events: Event[]) => boolean {
  return (events) => {
    const entered = events.findLastIndex((event) => event.stateEnteredEventDetails?.name === state);
    return entered !== -1 && (type === undefined || events.slice(entered + 1).some((event) => event.type === type));
  };
}

/** The local endpoint record says Creating (its deployment runs in the killed process). */
function endpointCreating(stateDir: string): boolean {
  try {
    const record = JSON.parse(readFileSync(endpointStore(stateDir).pathOf(DEFAULT_CONFIG.endpointName), 'utf8')) as { EndpointStatus?: string };
    return record.EndpointStatus === 'Creating';
  } catch {
    return false;
  }
}

const KILL_POINTS: Array<[label: string, when: (events: Event[], stateDir: string) => boolean]> = [
  ['RawToSilver (Glue .sync job submitted)', after('RawToSilver', 'TaskSubmitted')],
  ['CheckDataQuality (Athena .sync query submitted)', after('CheckDataQuality', 'TaskSubmitted')],
  ['TrainModel (.sync job submitted)', after('TrainModel', 'TaskSubmitted')],
  ['IngestFeatures (Distributed Map Run started)', after('IngestFeatures', 'MapRunStarted')],
  ['CreateEndpoint (endpoint Creating)', (events, stateDir) => after('CreateEndpoint')(events) && endpointCreating(stateDir)],
];

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('pricesense run SIGKILLed in the middle of a call, then redriven', () => {
  it.each(KILL_POINTS)('killed at %s: the redrive succeeds with one model version and a serving endpoint', async (_label, when) => {
    const root = mkdtempSync(join(tmpdir(), 'pricesense-kill-'));
    roots.push(root);
    const stateDir = join(root, 'state');
    const config = join(root, 'config.json');
    writeFileSync(config, JSON.stringify({ thresholds: { accuracy: 0.5, macroF1: 0.45, classPrecision: 0.4 }, dataQuality: { minBaskets: 200 } }));
    const child = spawn(process.execPath, [CLI, 'run', '--rows', '20000', '--config', config, '--deploy-target', 'endpoint', '--execution-name', 'killed', '--state-dir', stateDir], {
      stdio: 'ignore',
      // Its own process group, so the kill takes the xgboost child too (a kill -9 of a terminal's job would).
      detached: true,
      // Deployments take 1.5 s, so the 'Creating' kill point is always reached while the endpoint is Creating.
      env: { ...process.env, PRICESENSE_ENDPOINT_PROVISION_MS: '1500' },
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const eventsFile = join(stateDir, 'executions', 'killed', 'events.jsonl');
    let ended = false;
    void exited.then(() => (ended = true));
    while (!ended && !when(eventsOf(eventsFile), stateDir)) await new Promise((resolve) => setTimeout(resolve, 1));
    process.kill(-child.pid!, 'SIGKILL');
    const signal = await exited;
    // Read before the redrive (which resumes the deployment) changes it.
    const endpointKilledCreating = endpointCreating(stateDir);
    const killedAt = eventsOf(eventsFile);

    const redrive = spawnSync(process.execPath, [CLI, 'redrive', 'killed', '--state-dir', stateDir, '--json'], { encoding: 'utf8', timeout: 300_000 });
    if (!redrive.stdout.trim()) throw new Error(`redrive printed nothing (status ${redrive.status}, signal ${redrive.signal}): ${redrive.stderr.slice(-2000)}`);
    const redriven = JSON.parse(redrive.stdout.trim().split('\n').at(-1) ?? '{}') as { status?: string; error?: string; cause?: string; redriveCount?: number };
    const models = JSON.parse(spawnSync(process.execPath, [CLI, 'models', '--state-dir', stateDir, '--json'], { encoding: 'utf8' }).stdout.trim().split('\n').at(-1) ?? '[]') as unknown;
    const versions = (Array.isArray(models) ? models : ((models as { models?: unknown[] }).models ?? [])) as Array<{ version: number; approvalStatus: string }>;
    const endpoint = readEndpointRecord(stateDir, DEFAULT_CONFIG.endpointName);

    // Killed mid-run (not after it ended), at the chosen state.
    expect([signal, when(killedAt, stateDir) || endpointKilledCreating, killedAt.some((event) => event.type === 'ExecutionSucceeded')]).toEqual(['SIGKILL', true, false]);
    expect([redrive.status, redriven.status, redriven.error, redriven.cause?.slice(0, 300), redriven.redriveCount]).toEqual([0, 'SUCCEEDED', undefined, undefined, 1]);
    expect(versions.map((model) => [model.version, model.approvalStatus])).toEqual([[1, 'Approved']]);
    expect(endpoint).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'ps-epc-killed', Live: { ModelName: 'ps-serve-killed', ModelPackageVersion: 1 } });
  }, 600_000);
});
