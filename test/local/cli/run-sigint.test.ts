/**
 * Ctrl-C during a real `pricesense run`: the execution ends ABORTED (ExecutionAborted, as
 * StopExecution would), its training job and the xgboost process are stopped, the command prints
 * how to redrive, and the recording it leaves replays identical.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveEvents } from '../../support/live-events.js';

const EXECUTION = 'interrupted';
const CLI = join(process.cwd(), 'bin', 'pricesense.mjs');

const eventsOf = (file: string) => liveEvents<{ type: string; stateEnteredEventDetails?: { name?: string } }>(file);

function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(text) && !line.startsWith('ps '));
}

describe('pricesense run, interrupted with SIGINT during TrainModel', () => {
  let stateDir: string;
  let exit: { code: number | null; stderr: string };

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'pricesense-sigint-'));
    // The real xgboost, started only after a pause: with early stopping a 20,000-row job can finish
    // before the signal lands, and this test is about stopping a job that is still running.
    const slowXgboost = join(stateDir, 'slow-xgboost.py');
    // One process (no shell with a sleep child that would outlive the kill and hold the pipes open).
    writeFileSync(slowXgboost, '#!/usr/bin/env python3\nimport os, sys, time\ntime.sleep(30)\nos.execvp("xgboost", ["xgboost"] + sys.argv[1:])\n');
    chmodSync(slowXgboost, 0o755);
    const child = spawn(process.execPath, [CLI, 'run', '--rows', '20000', '--state-dir', stateDir, '--execution-name', EXECUTION, '--deploy-target', 'none'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PRICESENSE_XGBOOST: slowXgboost },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const eventsFile = join(stateDir, 'executions', EXECUTION, 'events.jsonl');
    for (;;) {
      // TrainModel's own TaskSubmitted (its job exists), not an earlier state's.
      const events = eventsOf(eventsFile);
      const entered = events.findIndex((event) => event.stateEnteredEventDetails?.name === 'TrainModel');
      if (entered >= 0 && events.slice(entered).some((event) => event.type === 'TaskSubmitted')) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGINT');
    exit = { code: await exited, stderr };
  }, 300_000);

  afterAll(() => {
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('exits 1 and prints the redrive command', () => {
    expect([exit.code, exit.stderr.includes(`pricesense redrive ${EXECUTION}`), exit.stderr.includes('SIGINT: stopping execution')]).toEqual([1, true, true]);
  });

  it('leaves a recording that ends with ExecutionAborted and says ABORTED', () => {
    const recording = JSON.parse(readFileSync(join(stateDir, 'executions', EXECUTION, 'recording.json'), 'utf8')) as {
      execution: { status: string };
      events: Array<{ type: string }>;
    };
    expect([recording.execution.status, recording.events.at(-1)?.type]).toEqual(['ABORTED', 'ExecutionAborted']);
  });

  it('stops the training job and leaves no xgboost process behind', () => {
    const job = JSON.parse(readFileSync(join(stateDir, 'sagemaker', 'training-jobs', `ps-train-${EXECUTION}.json`), 'utf8')) as { TrainingJobStatus: string };
    expect([job.TrainingJobStatus, processesMentioning(stateDir)]).toEqual(['Stopped', []]);
  });

  it('replays identical (the replay stops where the run was stopped)', () => {
    const report = JSON.parse(execFileSync(process.execPath, [CLI, 'replay', EXECUTION, '--state-dir', stateDir, '--json'], { encoding: 'utf8' })) as {
      identical: boolean;
      replayed: { status: string };
    };
    expect([report.identical, report.replayed.status]).toEqual([true, 'ABORTED']);
  }, 120_000);
});
