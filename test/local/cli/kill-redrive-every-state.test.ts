/**
 * Issue 14 "a kill-and-redrive test at every state of the pipeline": ONE execution of
 * `pricesense run` (small data, endpoint rollout) is SIGKILLed once in every top-level state its
 * successful path enters, and in every state of IngestAndTrain's branches (IngestFeatures,
 * TrainModel), each kill followed by `pricesense redrive` as the next process to kill, until the
 * execution succeeds. A redrive resumes at the open top-level state: for a branch state, its
 * Parallel, whose branches that had not succeeded resume at the state they stopped in.
 *
 * Each kill lands at the same, hardest point of its state: after the state's work is done (its
 * TaskSucceeded/TaskFailed, MapStateSucceeded, or just its StateEntered for Choice, Wait and
 * Succeed) and just before its StateExited is written, so the redrive re-runs a call whose effect
 * already happened (CreateModel, CreateEndpoint, a finished training job…). A preloaded gate
 * (test/support/stop-before-event.cjs) stops the process before each StateExited; the test reads
 * the history and kills the process group or lets it go on. Polling alone would miss states that
 * last a few milliseconds (RegisterModel, NotifySuccess, every Choice) and make the covered set
 * depend on the machine's load.
 *
 * CreateModel, CreateServingModel and CreateEndpointConfig create a resource under a name fixed per
 * run, so their redrive after the call repeats it and SageMaker answers "Cannot create already
 * existing …"; the workflow takes that as the run's own resource (Is*AlreadyCreated), which is why
 * those Choices appear on the path too.
 *
 * kill-redrive.test.ts kills fresh runs at chosen moments (a `.sync` job still running, an
 * endpoint still Creating); this one covers every state at once.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEndpointRecord } from '../../../local/aws/sagemaker/endpoints.js';
import { DEFAULT_CONFIG } from '../../../workflow/config.js';
import { liveEvents } from '../../support/live-events.js';

const CLI = join(process.cwd(), 'bin', 'pricesense.mjs');
const GATE = join(process.cwd(), 'test', 'support', 'stop-before-event.cjs');
const EXECUTION = 'killed';
/** Bounds one process (a run or a redrive of this small pipeline) — a hang fails instead of waiting forever. */
const PROCESS_BOUND_MS = 300_000;
/** About 30 states on the endpoint path: one kill and one process start each, plus the last redrive. */
const TEST_BOUND_MS = 1_800_000;

interface Event {
  id: number;
  type: string;
  stateEnteredEventDetails?: { name?: string };
  stateExitedEventDetails?: { name?: string };
}

const roots: string[] = [];
const started: ChildProcess[] = [];

afterAll(() => {
  // A failed assertion must not leave a stopped process group behind.
  for (const child of started) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const eventsOf = (file: string) => liveEvents<Event>(file);

/** The states a kill may land in: the top level and the states of its Parallels' branches → the top-level state that holds each. */
function killableStates(definitionFile: string): Map<string, string> {
  const states = (JSON.parse(readFileSync(definitionFile, 'utf8')) as { States: Record<string, { Branches?: Array<{ States: object }> }> }).States;
  const holder = new Map<string, string>();
  for (const [name, state] of Object.entries(states)) {
    holder.set(name, name);
    for (const branch of state.Branches ?? []) for (const inner of Object.keys(branch.States)) holder.set(inner, name);
  }
  return holder;
}

/** The top-level state the history is in: entered and not exited (Distributed Map children are not in it). */
function openState(events: Event[], topLevel: ReadonlySet<string>): string | undefined {
  let open: string | undefined;
  for (const event of events) {
    const entered = event.stateEnteredEventDetails?.name;
    const exited = event.stateExitedEventDetails?.name;
    if (entered !== undefined && topLevel.has(entered)) open = entered;
    if (exited !== undefined && exited === open) open = undefined;
  }
  return open;
}

/** Linux process state `T`: the gate has stopped the process (so a SIGCONT now cannot be lost). */
function isStopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[Tt]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Killed {
  kind: 'killed';
  /** The state whose StateExited was about to be written. */
  gatedAt: string;
  /** The open top-level state in the history the kill left (what redrive resumes). */
  diedIn: string | undefined;
  /** The last event written before the kill. */
  lastEvent: string | undefined;
}
interface Exited {
  kind: 'exited';
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one `pricesense` process under the gate and kills it before the StateExited of the first
 * top-level state not in `killedIn`; returns how it ended.
 */
async function runUntilKilled(args: string[], stateDir: string, killedIn: ReadonlySet<string>): Promise<Killed | Exited> {
  const dir = join(stateDir, 'executions', EXECUTION);
  const eventsFile = join(dir, 'events.jsonl');
  const pendingFile = join(stateDir, '..', 'pending-event.json');
  rmSync(pendingFile, { force: true });
  const child = spawn(process.execPath, ['--require', GATE, CLI, ...args, '--state-dir', stateDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the kill takes the xgboost child too (a kill -9 of a terminal's job would).
    detached: true,
    env: {
      ...process.env,
      NO_COLOR: '1',
      // As in kill-redrive.test.ts: a deployment that is still Creating for a while after CreateEndpoint.
      PRICESENSE_ENDPOINT_PROVISION_MS: '1500',
      STOP_BEFORE_EVENT_FILE: eventsFile,
      STOP_BEFORE_EVENT_PENDING: pendingFile,
      STOP_BEFORE_EVENT_TYPE: 'StateExited$',
    },
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exit: { code: number | null } | undefined;
  const exited = new Promise<void>((resolve) => child.on('exit', (code) => ((exit = { code }), resolve())));

  const deadline = Date.now() + PROCESS_BOUND_MS;
  while (Date.now() < deadline) {
    if (exit) return { kind: 'exited', code: exit.code, stdout, stderr };
    if (existsSync(pendingFile) && isStopped(child.pid!)) {
      const pending = JSON.parse(readFileSync(pendingFile, 'utf8')) as Event;
      const holders = killableStates(join(dir, 'definition.json'));
      const topLevel = new Set(holders.values());
      // The state the pending event belongs to: the one it exits.
      const state = pending.stateExitedEventDetails?.name ?? openState(eventsOf(eventsFile), topLevel);
      if (state !== undefined && holders.has(state) && !killedIn.has(state) && pending.type.endsWith('StateExited')) {
        process.kill(-child.pid!, 'SIGKILL');
        await exited;
        const events = eventsOf(eventsFile);
        return { kind: 'killed', gatedAt: state, diedIn: openState(events, topLevel), lastEvent: events.at(-1)?.type };
      }
      rmSync(pendingFile);
      process.kill(child.pid!, 'SIGCONT');
    }
    await pause(2);
  }
  process.kill(-child.pid!, 'SIGKILL');
  throw new Error(`pricesense ${args.join(' ')} neither ended nor reached a state to kill within ${PROCESS_BOUND_MS} ms: ${stderr.slice(-2000)}`);
}

describe('one execution SIGKILLed in every state of its successful path, redriven after each kill', () => {
  it('ends SUCCEEDED with one Approved model version and the endpoint serving it; every state was killed in once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pricesense-kill-every-'));
    roots.push(root);
    const stateDir = join(root, 'state');
    const config = join(root, 'config.json');
    writeFileSync(config, JSON.stringify({ thresholds: { accuracy: 0.5, macroF1: 0.45, classPrecision: 0.4 }, dataQuality: { minBaskets: 200 } }));

    const kills: Killed[] = [];
    const killedIn = new Set<string>();
    let args = ['run', '--rows', '20000', '--config', config, '--deploy-target', 'endpoint', '--execution-name', EXECUTION];
    let last: Exited | undefined;
    // Each state is killed in at most once, so this ends after at most (states + 1) processes.
    for (let attempt = 0; attempt < 100 && !last; attempt++) {
      const ended = await runUntilKilled(args, stateDir, killedIn);
      if (ended.kind === 'exited') {
        last = ended;
      } else {
        kills.push(ended);
        killedIn.add(ended.gatedAt);
        args = ['redrive', EXECUTION, '--json'];
      }
    }
    if (!last) throw new Error(`the execution was still not finished after ${kills.length} kills`);
    const redriven = JSON.parse(last.stdout.trim().split('\n').at(-1) || '{}') as { status?: string; error?: string; cause?: string; redriveCount?: number };

    const dir = join(stateDir, 'executions', EXECUTION);
    const holders = killableStates(join(dir, 'definition.json'));
    const history = eventsOf(join(dir, 'events.jsonl'));
    // The successful path: every killable state the final history entered, in order of first entry.
    const path = [...new Set(history.flatMap((event) => event.stateEnteredEventDetails?.name ?? []).filter((name) => holders.has(name)))];
    const models = JSON.parse(
      spawnSyncStdout(['models', '--state-dir', stateDir, '--json']).trim().split('\n').at(-1) ?? '[]',
    ) as unknown;
    const versions = (Array.isArray(models) ? models : ((models as { models?: unknown[] }).models ?? [])) as Array<{ version: number; approvalStatus: string }>;

    // The last process succeeded, and it was a redrive after the last kill.
    expect([last.code, redriven.status, redriven.error, redriven.cause?.slice(0, 300), redriven.redriveCount], last.stderr.slice(-2000)).toEqual([
      0,
      'SUCCEEDED',
      undefined,
      undefined,
      kills.length,
    ]);
    expect(history.filter((event) => event.type === 'ExecutionRedriven')).toHaveLength(kills.length);
    // Every kill left the history in the top-level state that holds the one it was gated in (what the next redrive resumed).
    expect(kills.filter((kill) => kill.diedIn !== holders.get(kill.gatedAt))).toEqual([]);
    // Killed once in each state of the successful path: none missed, none extra (a branch state
    // is killed in before the Parallel that holds it, which was entered first).
    expect(kills.map((kill) => kill.gatedAt).sort()).toEqual([...path].sort());
    expect(kills.map((kill) => kill.gatedAt).filter((name) => holders.get(name) === name)).toEqual(path.filter((name) => holders.get(name) === name));
    // …each top-level kill at its kill point: after the state's work (its entry for Choice, Wait,
    // Succeed). In a branch state the other branch may have written the last event.
    const definition = JSON.parse(readFileSync(join(dir, 'definition.json'), 'utf8')) as { States: Record<string, { Type: string }> };
    const expectedLastEvent = (state: string): string[] => {
      const type = definition.States[state]!.Type;
      if (type === 'Task') return ['TaskSucceeded', 'TaskFailed'];
      if (type === 'Map' || type === 'Parallel') return [`${type}StateSucceeded`];
      return [`${type}StateEntered`];
    };
    const topLevelKills = kills.filter((kill) => holders.get(kill.gatedAt) === kill.gatedAt);
    expect(topLevelKills.filter((kill) => !expectedLastEvent(kill.gatedAt).includes(kill.lastEvent ?? ''))).toEqual([]);
    expect(kills.map((kill) => kill.gatedAt)).toEqual(expect.arrayContaining(['IngestFeatures', 'TrainModel', 'IngestAndTrain']));
    // The three creates a redrive repeats after their call: SageMaker's "already existing" answer is taken as the run's own resource.
    expect(path).toEqual(expect.arrayContaining(['IsModelAlreadyCreated', 'IsServingModelAlreadyCreated', 'IsEndpointConfigAlreadyCreated']));
    expect(path).toEqual(expect.arrayContaining(['ValidateInput', 'IngestFeatures', 'TrainModel', 'RegisterModel', 'CreateEndpoint', 'WaitForEndpoint', 'PipelineSucceeded']));
    expect(versions.map((model) => [model.version, model.approvalStatus])).toEqual([[1, 'Approved']]);
    expect(readEndpointRecord(stateDir, DEFAULT_CONFIG.endpointName)).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: `ps-epc-${EXECUTION}`,
      Live: { ModelName: `ps-serve-${EXECUTION}`, ModelPackageVersion: 1 },
    });
    console.log(`killed in ${kills.length} states: ${kills.map((kill) => `${kill.diedIn} (after ${kill.lastEvent})`).join(', ')}`);
  }, TEST_BOUND_MS);
});

function spawnSyncStdout(args: string[]): string {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: PROCESS_BOUND_MS }).stdout;
}
