/**
 * Issue 17 part 3 end to end through the CLI: `pricesense run --tuning` tunes with real xgboost
 * trials (4 trials, 2 at a time), the best trial's model goes on through scoring and the
 * registry, and `pricesense experiments` lists both runs and compares a candidate with the
 * approved model.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison, ExperimentRecord } from '../../../local/cli/commands/experiments.js';
import { DEFAULT_CONFIG } from '../../../workflow/config.js';

const DEFAULT_ETA = String(DEFAULT_CONFIG.training.hyperparameters.eta);

const CLI = join(process.cwd(), 'bin', 'pricesense.mjs');
const root = mkdtempSync(join(tmpdir(), 'pricesense-tuning-'));
const config = join(root, 'config.json');
const stateDir = join(root, 'state');

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args, '--state-dir', stateDir], { encoding: 'utf8', timeout: 600_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tunedRun: { code: number | null; stdout: string; stderr: string };
let defaultRun: { code: number | null; stdout: string; stderr: string };
let experiments: ExperimentRecord[];
let comparison: Comparison;

beforeAll(() => {
  writeFileSync(config, JSON.stringify({ thresholds: { accuracy: 0.5, macroF1: 0.45, classPrecision: 0.4 }, training: { tuning: { maxNumberOfTrainingJobs: 4, maxParallelTrainingJobs: 2 } } }));
  const common = ['run', '--rows', '20000', '--seed', '3', '--config', config, '--deploy-target', 'none', '--json'];
  tunedRun = cli([...common, '--tuning', '--execution-name', 'tuned']);
  defaultRun = cli([...common, '--execution-name', 'untuned']);
  const listed = cli(['experiments', '--run', 'tuned', '--json']);
  ({ experiments, comparison } = JSON.parse(listed.stdout.trim().split('\n').at(-1)!) as { experiments: ExperimentRecord[]; comparison: Comparison });
}, 900_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pricesense run --tuning', () => {
  it('succeeds through TuneModel, ReadBestTrainingJob and ListTuningTrials', () => {
    expect(tunedRun.code, tunedRun.stderr).toBe(0);
    for (const state of ['TuneModel', 'ReadBestTrainingJob', 'ListTuningTrials', 'RecordExperiment']) expect(tunedRun.stderr).toContain(state);
    expect(tunedRun.stderr).not.toContain('TrainModel');
  });

  it('runs every trial and records them best first', () => {
    const tuned = experiments.find((record) => record.runId === 'tuned')!;
    const trials = tuned.tuning!.trials!;
    expect(trials).toHaveLength(4);
    const objectives = trials.map((trial) => trial.objective!);
    expect(objectives).toEqual([...objectives].sort((a, b) => a - b));
    expect(tuned.tuning!.bestObjective).toBe(objectives[0]);
  });

  it('scores and registers the best trial\'s model, with its tuned hyperparameters', () => {
    const tuned = experiments.find((record) => record.runId === 'tuned')!;
    const best = tuned.tuning!.trials![0]!;
    expect(tuned.trainingJob).toBe(best.trainingJob);
    expect(tuned.hyperparameters).toMatchObject(best.hyperparameters);
    expect(tuned.tuning!.objectiveMetric).toBe('validation:merror');
    expect(tuned.validationMetrics.find((metric) => metric.name === 'validation:merror')!.value).toBe(best.objective);
  });
});

describe('pricesense experiments', () => {
  it('lists the tuned and the untuned run', () => {
    expect(defaultRun.code, defaultRun.stderr).toBe(0);
    expect(experiments.map((record) => record.runId)).toEqual(['tuned', 'untuned']);
    expect(experiments[1]!.tuning).toBeUndefined();
    expect(experiments[1]!.hyperparameters).toMatchObject({ eta: DEFAULT_ETA, max_depth: String(DEFAULT_CONFIG.training.hyperparameters.max_depth) });
  });

  it('compares the candidate with the newest approved model, metric by metric and hyperparameter by hyperparameter', () => {
    const [tuned, untuned] = experiments as [ExperimentRecord, ExperimentRecord];
    expect(comparison.candidate).toBe('tuned');
    expect(comparison.approved).toBe('untuned');
    expect(comparison.deltas['test:accuracy']).toBeCloseTo(tuned.testMetrics.accuracy - untuned.testMetrics.accuracy, 12);
    expect(comparison.hyperparameterChanges.eta).toEqual([tuned.hyperparameters.eta, DEFAULT_ETA]);
  });
});
