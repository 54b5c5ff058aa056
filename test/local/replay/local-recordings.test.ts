/**
 * Every kind of local execution leaves one recording that replays IDENTICAL: the recording is
 * read back the way `pricesense replay NAME` reads it and replayed against the definition the run
 * executed. Small data (5,000 rows) and lowered thresholds keep the real pipeline quick.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';
import { TaskFailedError, type TaskRegistry } from '../../../local/asl/index.js';
import { loadExecutionSource } from '../../../local/execution-history/execution-source.js';
import { replayExecution, type ReplayReport } from '../../../local/replay/index.js';
import { openLocalPipeline, redriveLocalExecution, startLocalExecution, type LocalPipeline } from '../../../local/pipeline-runner/local-pipeline.js';
import { stopRunningJobs } from '../../../local/pipeline-runner/run-lifecycle.js';
import { RECORDING_FILE } from '../../../local/execution-history/execution-store.js';
import type { DeepPartial, PipelineConfig } from '../../../workflow/config.js';

const roots: string[] = [];
const SMALL: DeepPartial<PipelineConfig> = { thresholds: { accuracy: 0.5, macroF1: 0.45, classPrecision: 0.4 }, dataQuality: { minBaskets: 200 } };

async function open(config: DeepPartial<PipelineConfig>): Promise<LocalPipeline> {
  const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-recordings-'));
  roots.push(stateDir);
  return openLocalPipeline({ stateDir, config: { ...SMALL, ...config } });
}

async function staged(pipeline: LocalPipeline, key: string, labelNoise = 0.05): Promise<{ bucket: string; key: string }> {
  await generateDataset({ rows: 5_000, seed: 7, labelNoise, out: localObjectPath(pipeline.stateDir, pipeline.rawBucket, key) });
  return { bucket: pipeline.rawBucket, key };
}

async function replayed(pipeline: LocalPipeline, name: string): Promise<ReplayReport> {
  return replayExecution({ recording: loadExecutionSource(name, pipeline.stateDir), definition: pipeline.definition });
}

function summary(report: ReplayReport): unknown {
  return { identical: report.identical, divergences: report.divergences.slice(0, 3), status: report.replayed.status, error: report.replayed.error };
}

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

// The task Lambdas' SDK clients are routed to the backend opened last (process-wide, as in a
// command): each group opens its backend in turn and runs only against it.
describe('local recordings replay identical: success per rollout target, data-quality failure', () => {
  it.each(['endpoint', 'eks'] as const)('success with rollout target %s (Distributed Map children included)', async (target) => {
    const pipeline = await open({ deployTarget: target });
    const input = await staged(pipeline, `raw/success-${target}.csv`);

    const result = await startLocalExecution(pipeline, { input, executionName: `success-${target}` });
    const report = await replayed(pipeline, result.name);

    expect([result.status, result.mapRuns.length > 0]).toEqual(['SUCCEEDED', true]);
    expect(summary(report)).toEqual({ identical: true, divergences: [], status: 'SUCCEEDED', error: undefined });
  }, 300_000);

  it('a data-quality failure replays identical', async () => {
    const strict = await open({ deployTarget: 'none', dataQuality: { minBaskets: 1_000_000 } });
    const input = await staged(strict, 'raw/too-small.csv');

    const result = await startLocalExecution(strict, { input, executionName: 'dq-failure' });
    const report = await replayed(strict, result.name);

    expect([result.status, result.path.includes('CheckDataQuality'), result.path.includes('TrainModel')]).toEqual(['FAILED', true, false]);
    expect(report.identical).toBe(true);
  }, 300_000);

});

describe('local recordings replay identical: rollout none, failures, retries, redrives', () => {
  let none: LocalPipeline;

  beforeAll(async () => {
    none = await open({ deployTarget: 'none' });
  }, 240_000);

  it('success with rollout target none (Distributed Map children included)', async () => {
    const input = await staged(none, 'raw/success-none.csv');

    const result = await startLocalExecution(none, { input, executionName: 'success-none' });
    const report = await replayed(none, result.name);

    expect([result.status, result.mapRuns.length > 0]).toEqual(['SUCCEEDED', true]);
    expect(summary(report)).toEqual({ identical: true, divergences: [], status: 'SUCCEEDED', error: undefined });
  }, 300_000);

  it('a gate failure (unlearnable labels) ends in ModelBelowThreshold and replays identical', async () => {
    const input = await staged(none, 'raw/noisy.csv', 0.95);

    const result = await startLocalExecution(none, { input, executionName: 'gate-failure' });
    const report = await replayed(none, result.name);

    expect(summary(report)).toEqual({ identical: true, divergences: [], status: 'FAILED', error: 'ModelBelowThreshold' });
  }, 300_000);

  it('rejected input (wrong CSV header) replays identical', async () => {
    const key = 'raw/bad-header.csv';
    writeFileSync(localObjectPath(none.stateDir, none.rawBucket, key), 'a,b,c\n1,2,3\n');

    const result = await startLocalExecution(none, { input: { bucket: none.rawBucket, key }, executionName: 'rejected-input' });
    const report = await replayed(none, result.name);

    expect([result.status, result.path.includes('RawToSilver')]).toEqual(['FAILED', false]);
    expect(report.identical).toBe(true);
  }, 120_000);

  it('a retried Lambda throttle and a caught error replay identical', async () => {
    // The first ValidateInput call is throttled (retried); a missing object is then caught.
    let throttled = false;
    const tasks: TaskRegistry = {
      handlerFor: (target) => {
        const real = none.tasks.handlerFor(target);
        if (target.stateName !== 'ValidateInput' || !real) return real;
        return async (invocation) => {
          if (!throttled) {
            throttled = true;
            throw new TaskFailedError('Lambda.TooManyRequestsException', 'Rate exceeded');
          }
          return real(invocation);
        };
      },
    };

    const result = await startLocalExecution({ ...none, tasks }, { input: { bucket: none.rawBucket, key: 'raw/missing.csv' }, executionName: 'retried-caught' });
    const report = await replayed(none, result.name);
    const types = result.history.map((event) => event.type);

    expect([throttled, types.filter((type) => type === 'TaskScheduled' || type === 'LambdaFunctionScheduled').length >= 2, result.path.includes('NotifyFailure')]).toEqual([true, true, true]);
    expect(summary(report)).toEqual({ identical: true, divergences: [], status: 'FAILED', error: result.error });
  }, 120_000);

  it('an execution aborted during its first .sync job (Ctrl-C) and redriven replays identical, redrive included', async () => {
    const input = await staged(none, 'raw/aborted.csv');
    const control = new AbortController();

    const first = await startLocalExecution(none, {
      input,
      executionName: 'aborted-redriven',
      signal: control.signal,
      onEvent: (event) => {
        if (String(event.type) === 'TaskSubmitted' && !control.signal.aborted) control.abort('Stopped by SIGINT');
      },
    });
    await stopRunningJobs(none.localAws);
    const redriven = await redriveLocalExecution(none, 'aborted-redriven');
    const report = await replayed(none, 'aborted-redriven');

    expect([first.status, redriven.status]).toEqual(['ABORTED', 'SUCCEEDED']);
    expect([report.redrives, summary(report)]).toEqual([1, { identical: true, divergences: [], status: 'SUCCEEDED', error: undefined }]);
  }, 300_000);

  it('an execution killed (SIGKILL) mid-run and redriven replays identical', async () => {
    const input = await staged(none, 'raw/killed.csv');
    const control = new AbortController();
    await startLocalExecution(none, {
      input,
      executionName: 'killed-redriven',
      signal: control.signal,
      onEvent: (event) => {
        if (String(event.type) === 'TaskSubmitted' && !control.signal.aborted) control.abort('kill');
      },
    });
    await stopRunningJobs(none.localAws);
    // What SIGKILL leaves: a RUNNING execution owned by a dead process, events up to the kill.
    const dir = join(none.stateDir, 'executions', 'killed-redriven');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    const execution = JSON.parse(readFileSync(join(dir, 'execution.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'execution.json'), JSON.stringify({ ...execution, status: 'RUNNING', pid: deadPid, stopDate: undefined, cause: undefined }));
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'events.jsonl'), `${lines.slice(0, -1).join('\n')}\n`);
    rmSync(join(dir, RECORDING_FILE));

    const redriven = await redriveLocalExecution(none, 'killed-redriven');
    const report = await replayed(none, 'killed-redriven');

    expect(redriven.status).toBe('SUCCEEDED');
    expect([report.redrives, summary(report)]).toEqual([1, { identical: true, divergences: [], status: 'SUCCEEDED', error: undefined }]);
  }, 300_000);

  it('the recording is self-contained: DescribeExecution facts, definition, events and Map Runs in one file', async () => {
    const recording = JSON.parse(readFileSync(join(none.stateDir, 'executions', 'success-none', RECORDING_FILE), 'utf8')) as Record<string, unknown>;
    const execution = recording.execution as Record<string, unknown>;

    expect(Object.keys(recording).sort()).toEqual(['definition', 'events', 'execution', 'mapRuns']);
    expect([execution.name, execution.status, typeof execution.startDate, typeof execution.stopDate, execution.redriveCount, 'pid' in execution]).toEqual([
      'success-none',
      'SUCCEEDED',
      'string',
      'string',
      0,
      false,
    ]);
    expect(recording.definition).toEqual(none.definition);
  });
});
