/**
 * A real `pricesense run` in its own process, SIGKILLed while TrainModel runs, then
 * `pricesense redrive` in another process: the run finishes without re-running earlier states and
 * the state directory stays consistent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const EXECUTION = 'killed-in-training';
const CLI = join(process.cwd(), 'bin', 'pricesense.mjs');
const EARLIER_STATES = ['ValidateInput', 'RawToSilver', 'SilverToGold', 'CheckDataQuality', 'DataQualityGate'];

interface Event {
  id: number;
  type: string;
  stateEnteredEventDetails?: { name?: string };
  stateExitedEventDetails?: { name?: string };
}

function cli(args: string[]): ChildProcess {
  // Own process group: the kill takes the run and the xgboost process it started, as a host crash would.
  return spawn(process.execPath, [CLI, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

function readEvents(file: string): Event[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Event];
      } catch {
        return []; // the line being written right now
      }
    });
}

/** Resolves once the run's live history shows TrainModel entered (polling: fs.watch misses appends on some filesystems). */
async function waitForTrainModel(eventsFile: string, run: Promise<unknown>): Promise<void> {
  let exited = false;
  void run.then(() => (exited = true));
  for (;;) {
    if (readEvents(eventsFile).some((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'TrainModel')) return;
    if (exited) throw new Error('the run ended before it entered TrainModel');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('redrive after SIGKILL during TrainModel', () => {
  let stateDir: string;
  let killed: { code: number | null; signal: NodeJS.Signals | null };
  let redrive: { code: number | null; stdout: string; stderr: string };
  let events: Event[];

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'pricesense-sigkill-'));
    const eventsFile = join(stateDir, 'executions', EXECUTION, 'events.jsonl');
    const child = cli(['run', '--rows', '20000', '--state-dir', stateDir, '--execution-name', EXECUTION, '--deploy-target', 'none']);
    const exit = exitOf(child);
    await waitForTrainModel(eventsFile, exit);
    process.kill(-child.pid!, 'SIGKILL');
    killed = await exit;
    redrive = await exitOf(cli(['redrive', EXECUTION, '--state-dir', stateDir]));
    events = readEvents(eventsFile);
  }, 300_000);

  afterAll(() => {
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('the run was killed by SIGKILL before it finished', () => {
    expect([killed.signal, events.some((e) => e.type === 'ExecutionAborted')]).toEqual(['SIGKILL', true]);
  });

  it('the redrive exits 0 with the execution SUCCEEDED', () => {
    expect([redrive.code, redrive.stdout.trim()]).toEqual([0, `${EXECUTION}: SUCCEEDED`]);
  });

  it('resumes at IngestAndTrain without entering any earlier state again, re-running only its unfinished branches', () => {
    const redriven = events.findIndex((e) => e.type === 'ExecutionRedriven');
    const enteredAfter = events.slice(redriven + 1).flatMap((e) => (e.type.endsWith('StateEntered') ? [e.stateEnteredEventDetails?.name] : []));
    // Ingestion runs beside training: the kill may have come before or after its branch finished.
    const ingestionDoneBeforeKill = events.slice(0, redriven).some((e) => e.type === 'MapStateExited' && e.stateExitedEventDetails?.name === 'IngestFeatures');
    expect([enteredAfter[0], enteredAfter.filter((name) => EARLIER_STATES.includes(name ?? ''))]).toEqual(['IngestAndTrain', []]);
    expect(enteredAfter).toContain('TrainModel');
    expect(enteredAfter.includes('IngestFeatures')).toBe(!ingestionDoneBeforeKill);
  });

  it('numbers the live history without gaps or duplicates', () => {
    expect(events.map((e) => e.id)).toEqual(events.map((_, index) => index + 1));
  });

  it('leaves execution.json SUCCEEDED with one redrive', () => {
    const execution = JSON.parse(readFileSync(join(stateDir, 'executions', EXECUTION, 'execution.json'), 'utf8')) as { status: string; redriveCount: number };
    expect([execution.status, execution.redriveCount]).toEqual(['SUCCEEDED', 1]);
  });

  it('lists the execution as SUCCEEDED in `pricesense executions`', async () => {
    const listed = await exitOf(cli(['executions', '--state-dir', stateDir, '--json']));
    const { executions } = JSON.parse(listed.stdout) as { executions: Array<{ name: string; status: string }> };
    expect(executions.map((row) => [row.name, row.status])).toEqual([[EXECUTION, 'SUCCEEDED']]);
  });

  it('trains again under the redrive job name (-r1), as AWS requires, and completes it', () => {
    const job = JSON.parse(readFileSync(join(stateDir, 'sagemaker', 'training-jobs', `ps-train-${EXECUTION}-r1.json`), 'utf8')) as { TrainingJobStatus: string };
    expect(job.TrainingJobStatus).toBe('Completed');
  });

  it('registers exactly one model package', () => {
    const groups = join(stateDir, 'sagemaker', 'model-packages');
    const packages = readdirSync(groups).flatMap((group) => readdirSync(join(groups, group)));
    expect(packages).toEqual(['1.json']);
  });
});
