/** Shared arrangement for the SageMaker emulator tests: temp state dirs, a fixed clock, tiny data. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localObjectPath } from '../../../../local/aws/s3-location.js';
import { writeFileAtomic } from '../../../../local/state/atomic-write.js';
import type { AwsServiceEmulator } from '../../../../local/aws/emulator.js';

export const XGBOOST_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
export const ROLE_ARN = 'arn:aws:iam::000000000000:role/pricesense-sagemaker';
export const BUCKET = 'pricesense-artifacts';

export function makeStateDir(): { stateDir: string; cleanup: () => void } {
  const stateDir = mkdtempSync(join(tmpdir(), 'ps-sagemaker-'));
  return { stateDir, cleanup: () => rmSync(stateDir, { recursive: true, force: true }) };
}

/** A clock that advances one second per reading, so creation times are distinct and ordered. */
export function steppingClock(start = Date.parse('2026-01-05T10:00:00.000Z')): { now(): Date } {
  let tick = 0;
  return { now: () => new Date(start + 1000 * tick++) };
}

export async function putObject(stateDir: string, bucket: string, key: string, body: string | Uint8Array): Promise<void> {
  await writeFileAtomic(localObjectPath(stateDir, bucket, key), body);
}

/** Routes an action to whichever emulator lists it, as the local registry does. */
export function router(emulators: AwsServiceEmulator[]) {
  return (service: string, action: string, input: Record<string, unknown>) => {
    const emulator = emulators.find((candidate) => candidate.service === service && candidate.actions.includes(action));
    if (emulator === undefined) throw new Error(`no emulator for ${service}:${action}`);
    return emulator.call(action, input);
  };
}

/** Polls a Describe* until its status leaves the given in-flight statuses (what the .sync layer does). */
export async function pollUntilSettled(
  describe: () => Promise<Record<string, unknown>>,
  statusField: string,
  inFlight: readonly string[],
): Promise<Record<string, unknown>> {
  for (;;) {
    const response = await describe();
    if (!inFlight.includes(String(response[statusField]))) return response;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Label-first headerless CSV with 4 features; the class follows feature 0 (with a NaN now and
 * then), so a 5-round model learns it. Deterministic.
 */
export function tinyTrainingCsv(rows: number, seed: number): string {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const lines: string[] = [];
  for (let i = 0; i < rows; i += 1) {
    const x0 = random() * 3;
    const label = Math.min(2, Math.floor(x0));
    const features = [x0, random(), random() * 10, random() < 0.1 ? '' : (random() * 5).toFixed(3)];
    lines.push([label, ...features.map((value) => (typeof value === 'number' ? value.toFixed(4) : value))].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export const TINY_HYPERPARAMETERS = {
  objective: 'multi:softprob',
  num_class: '3',
  num_round: '5',
  max_depth: '3',
  eta: '0.3',
  eval_metric: 'mlogloss',
};

/** Trains a tiny real model through the emulator and returns its model.tar.gz URI. */
export async function trainTinyModel(stateDir: string, jobName: string): Promise<string> {
  const { TrainingJobsEmulator } = await import('../../../../local/aws/sagemaker/training-jobs.js');
  const training = new TrainingJobsEmulator({ stateDir });
  await putObject(stateDir, BUCKET, `data/${jobName}/train/part-0.csv`, tinyTrainingCsv(300, 7));
  await training.call('CreateTrainingJob', {
    TrainingJobName: jobName,
    AlgorithmSpecification: { TrainingImage: XGBOOST_IMAGE, TrainingInputMode: 'File' },
    RoleArn: ROLE_ARN,
    HyperParameters: TINY_HYPERPARAMETERS,
    InputDataConfig: [{ ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/data/${jobName}/train/` } } }],
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/training/` },
    StoppingCondition: { MaxRuntimeInSeconds: 600 },
  });
  const done = await pollUntilSettled(() => training.call('DescribeTrainingJob', { TrainingJobName: jobName }), 'TrainingJobStatus', ['InProgress', 'Stopping']);
  if (done.TrainingJobStatus !== 'Completed') throw new Error(`fixture training failed: ${String(done.FailureReason)}`);
  return (done.ModelArtifacts as { S3ModelArtifacts: string }).S3ModelArtifacts;
}

/** Feature rows (no label) for scoring: the tiny CSV with its first column dropped. */
export function tinyFeatureCsv(rows: number, seed: number): string {
  return tinyTrainingCsv(rows, seed)
    .trimEnd()
    .split('\n')
    .map((line) => line.slice(line.indexOf(',') + 1))
    .join('\n')
    .concat('\n');
}
