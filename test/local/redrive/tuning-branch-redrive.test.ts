/**
 * The reviewer's case on the real pipeline: with training.tuning on, TuneModel → ReadBestTrainingJob
 * → ListTuningTrials run in IngestAndTrain's training branch. An execution stopped (Ctrl-C) during
 * ReadBestTrainingJob's call, after the tuning job succeeded, is redriven: the branch resumes
 * at ReadBestTrainingJob, so no second tuning job runs (on AWS a redrive does not re-run a state that
 * succeeded), and the recording, redrive included, replays identical.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';
import { loadExecutionSource } from '../../../local/execution-history/execution-source.js';
import { replayExecution } from '../../../local/replay/index.js';
import { openLocalPipeline, redriveLocalExecution, startLocalExecution } from '../../../local/pipeline-runner/local-pipeline.js';
import { stopRunningJobs } from '../../../local/pipeline-runner/run-lifecycle.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('redrive of a tuned run stopped in ReadBestTrainingJob', () => {
  it('resumes the training branch at ReadBestTrainingJob without a second tuning job, and replays identical', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-tuning-redrive-'));
    roots.push(stateDir);
    const pipeline = await openLocalPipeline({
      stateDir,
      config: {
        deployTarget: 'none',
        thresholds: { accuracy: 0.5, macroF1: 0.45, classPrecision: 0.4 },
        dataQuality: { minBaskets: 200 },
        training: { tuning: { enabled: true, maxNumberOfTrainingJobs: 2, maxParallelTrainingJobs: 2 } },
      },
    });
    const key = 'raw/tuned.csv';
    await generateDataset({ rows: 5_000, seed: 7, labelNoise: 0.05, out: localObjectPath(pipeline.stateDir, pipeline.rawBucket, key) });
    const control = new AbortController();
    let inReadBest = false;

    const first = await startLocalExecution(pipeline, {
      input: { bucket: pipeline.rawBucket, key },
      executionName: 'tuned-stopped',
      signal: control.signal,
      onEvent: (event) => {
        // Stopped in the middle of its call (a Task the recording never finished), as Ctrl-C would.
        if (event.stateEnteredEventDetails?.name === 'ReadBestTrainingJob') inReadBest = true;
        if (inReadBest && event.type === 'TaskStarted' && !control.signal.aborted) control.abort('Stopped by SIGINT');
      },
    });
    await stopRunningJobs(pipeline.localAws);
    const redriven = await redriveLocalExecution(pipeline, 'tuned-stopped');
    const report = await replayExecution({ recording: loadExecutionSource('tuned-stopped', pipeline.stateDir), definition: pipeline.definition });

    const redrivenAt = redriven.history.findIndex((event) => event.type === 'ExecutionRedriven');
    const enteredAfterRedrive = redriven.history.slice(redrivenAt).flatMap((event) => event.stateEnteredEventDetails?.name ?? []);
    const tuneEntries = redriven.history.filter((event) => event.stateEnteredEventDetails?.name === 'TuneModel').length;
    expect([first.status, redriven.status, tuneEntries, enteredAfterRedrive.slice(0, 2)]).toEqual(['ABORTED', 'SUCCEEDED', 1, ['IngestAndTrain', 'ReadBestTrainingJob']]);
    expect([report.redrives, report.identical, report.divergences.slice(0, 3)]).toEqual([1, true, []]);
  }, 600_000);
});
