/**
 * `pricesense experiments`: every evaluated run's experiment record (RecordExperiment writes
 * `experiments/run_id=<runId>/experiment.json` to the artifacts bucket) with its hyperparameters,
 * validation objective, test metrics and tuning trials, and the newest run compared with the
 * approved model's run. Reads through the local S3 and SageMaker APIs (ListObjectsV2/GetObject,
 * ListModelPackages/DescribeModelPackage), the calls that would read the same records on AWS.
 */
import { LocalAws } from '../../aws/registry.js';
import { S3Emulator } from '../../aws/s3.js';
import { createSageMakerEmulators } from '../../aws/sagemaker/index.js';
import { EXPERIMENT_RECORD_VERSION, EXPERIMENTS_PREFIX } from '../../../workflow/experiment-record.js';
import { resolveStateDir } from '../state-dir.js';
import { ExitCode, UsageError } from '../usage-error.js';
import { noPositionals, parseOptions } from '../parse-options.js';

export const summary = 'list runs as experiments (hyperparameters, validation objective, test metrics, tuning trials) and compare the newest with the approved model';
export const usage = `usage: pricesense experiments [--run RUN_ID] [--state-dir DIR] [--json]

  --run RUN_ID   the candidate to compare with the approved model (default: the newest run)
  --json         print {experiments, comparison} as one JSON object`;

/** The fields of an experiment record this command reads (workflow/experiment-record.ts). */
export interface ExperimentRecord {
  version: number;
  runId: string;
  startedAt: string;
  trainingJob: string;
  hyperparameters: Record<string, string>;
  validationMetrics: Array<{ name: string; value: number }>;
  testMetrics: { accuracy: number; macroF1: number };
  tuning?: { jobName: string; objectiveMetric: string; bestObjective: number; trials?: Array<{ trainingJob: string; objective?: number; hyperparameters: Record<string, string> }> };
}

export interface Comparison {
  candidate: string;
  /** The run compared with: the newest approved one other than the candidate, or null. */
  approved: string | null;
  /** Candidate minus approved, for the test metrics and validation metrics both have. */
  deltas: Record<string, number>;
  /** Hyperparameters whose values differ: [candidate, approved]. */
  hyperparameterChanges: Record<string, [string | null, string | null]>;
}

const SHOWN_HYPERPARAMETERS = ['eta', 'max_depth', 'min_child_weight', 'subsample', 'num_round'];

function openLocalAws(stateDir: string): LocalAws {
  const aws = new LocalAws().register(new S3Emulator(stateDir));
  for (const emulator of createSageMakerEmulators({ stateDir })) aws.register(emulator);
  return aws;
}

/** Every experiment record in every bucket that holds `experiments/`, oldest first. */
export async function readExperiments(aws: LocalAws): Promise<ExperimentRecord[]> {
  const buckets = ((await aws.call('s3', 'ListBuckets', {})).Buckets ?? []) as Array<{ Name: string }>;
  const records: ExperimentRecord[] = [];
  for (const { Name: bucket } of buckets) {
    let token: string | undefined;
    do {
      const page = await aws.call('s3', 'ListObjectsV2', { Bucket: bucket, Prefix: EXPERIMENTS_PREFIX, ...(token ? { ContinuationToken: token } : {}) });
      for (const object of (page.Contents ?? []) as Array<{ Key: string }>) {
        if (!object.Key.endsWith('/experiment.json')) continue;
        const body = (await aws.call('s3', 'GetObject', { Bucket: bucket, Key: object.Key })).Body as { transformToString(): Promise<string> };
        const record = JSON.parse(await body.transformToString()) as ExperimentRecord;
        if (record.version !== EXPERIMENT_RECORD_VERSION) {
          throw new Error(`s3://${bucket}/${object.Key} is an experiment record of version ${JSON.stringify(record.version)}; this pricesense reads version ${EXPERIMENT_RECORD_VERSION}`);
        }
        records.push(record);
      }
      token = page.IsTruncated ? String(page.NextContinuationToken) : undefined;
    } while (token);
  }
  return records.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** Training jobs of the Approved model packages of every group, newest first. */
async function approvedTrainingJobs(aws: LocalAws): Promise<string[]> {
  const groups = ((await aws.call('sagemaker', 'ListModelPackageGroups', {})).ModelPackageGroupSummaryList ?? []) as Array<{ ModelPackageGroupName: string }>;
  const approved: Array<{ created: number; trainingJob: string }> = [];
  for (const group of groups) {
    const listed = await aws.call('sagemaker', 'ListModelPackages', { ModelPackageGroupName: group.ModelPackageGroupName, ModelApprovalStatus: 'Approved', SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 100 });
    for (const summary of (listed.ModelPackageSummaryList ?? []) as Array<{ ModelPackageArn: string; CreationTime: Date }>) {
      const described = await aws.call('sagemaker', 'DescribeModelPackage', { ModelPackageName: summary.ModelPackageArn });
      const trainingJob = (described.CustomerMetadataProperties as Record<string, string> | undefined)?.trainingJob;
      if (trainingJob) approved.push({ created: new Date(summary.CreationTime).getTime(), trainingJob });
    }
  }
  return approved.sort((a, b) => b.created - a.created).map((entry) => entry.trainingJob);
}

function metricsOf(record: ExperimentRecord): Record<string, number> {
  const out: Record<string, number> = { 'test:accuracy': record.testMetrics.accuracy, 'test:macroF1': record.testMetrics.macroF1 };
  for (const metric of record.validationMetrics ?? []) out[metric.name] = metric.value;
  const merror = out['validation:merror'];
  if (merror !== undefined) out['validation:accuracy'] = 1 - merror;
  return out;
}

export function compare(candidate: ExperimentRecord, approved: ExperimentRecord | undefined): Comparison {
  if (!approved) return { candidate: candidate.runId, approved: null, deltas: {}, hyperparameterChanges: {} };
  const mine = metricsOf(candidate);
  const theirs = metricsOf(approved);
  const deltas = Object.fromEntries(Object.keys(mine).filter((name) => theirs[name] !== undefined).map((name) => [name, mine[name]! - theirs[name]!]));
  const names = new Set([...Object.keys(candidate.hyperparameters ?? {}), ...Object.keys(approved.hyperparameters ?? {})].filter((name) => !name.startsWith('_')));
  const hyperparameterChanges: Comparison['hyperparameterChanges'] = {};
  for (const name of names) {
    const a = candidate.hyperparameters?.[name] ?? null;
    const b = approved.hyperparameters?.[name] ?? null;
    if (a !== b) hyperparameterChanges[name] = [a, b];
  }
  return { candidate: candidate.runId, approved: approved.runId, deltas, hyperparameterChanges };
}

const percent = (value: number | undefined) => (value === undefined ? '   -  ' : `${(100 * value).toFixed(2)}%`);

function experimentLine(record: ExperimentRecord, approvedJob: string | null): string {
  const metrics = metricsOf(record);
  const hyper = SHOWN_HYPERPARAMETERS.map((name) => `${name}=${record.hyperparameters?.[name] ?? '-'}`).join(' ');
  const tuning = record.tuning ? `  tuned: ${record.tuning.trials?.length ?? '?'} trials on ${record.tuning.objectiveMetric}` : '';
  const mark = record.trainingJob === approvedJob ? ' (approved)' : '';
  return `${record.runId}${mark}  val mlogloss ${metrics['validation:mlogloss']?.toFixed(4) ?? '-'}  val acc ${percent(metrics['validation:accuracy'])}  test acc ${percent(metrics['test:accuracy'])}  macro F1 ${percent(metrics['test:macroF1'])}  ${hyper}${tuning}`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { run: { type: 'string' }, 'state-dir': { type: 'string' }, json: { type: 'boolean', default: false } });
  noPositionals(positionals);
  const aws = openLocalAws(resolveStateDir(values['state-dir']));
  const experiments = await readExperiments(aws);
  const candidate = values.run === undefined ? experiments.at(-1) : experiments.find((record) => record.runId === values.run);
  if (values.run !== undefined && !candidate) {
    throw new UsageError(`--run ${JSON.stringify(values.run)} has no experiment record; runs with one: ${experiments.map((record) => record.runId).join(', ') || 'none'}`);
  }
  const approvedJobs = await approvedTrainingJobs(aws);
  const approvedJob = approvedJobs[0] ?? null;
  // A candidate that is itself the approved model is compared with the one approved before it.
  const baselineJob = approvedJobs.find((job) => job !== candidate?.trainingJob);
  const approved = experiments.find((record) => record.trainingJob === baselineJob);
  const comparison = candidate ? compare(candidate, approved) : null;
  if (values.json) {
    console.log(JSON.stringify({ experiments, comparison }));
    return ExitCode.Succeeded;
  }
  if (experiments.length === 0) {
    console.log('No experiment records yet. Every run that reaches EvaluateModel records one (`pricesense run`).');
    return ExitCode.Succeeded;
  }
  for (const record of experiments) console.log(experimentLine(record, approvedJob));
  if (!comparison) return ExitCode.Succeeded;
  console.log('');
  if (comparison.approved === null) {
    console.log(`candidate ${comparison.candidate}: no approved model with an experiment record to compare with`);
  } else {
    const which = candidate?.trainingJob === approvedJob ? 'the model approved before it' : 'approved';
    console.log(`candidate ${comparison.candidate} vs ${which} ${comparison.approved}:`);
    for (const [name, delta] of Object.entries(comparison.deltas)) console.log(`  ${name.padEnd(22)} ${delta >= 0 ? '+' : ''}${name.includes('mlogloss') ? delta.toFixed(4) : `${(100 * delta).toFixed(2)} pts`}`);
    for (const [name, [mine, theirs]] of Object.entries(comparison.hyperparameterChanges)) console.log(`  ${name.padEnd(22)} ${theirs ?? '-'} -> ${mine ?? '-'}`);
  }
  return ExitCode.Succeeded;
}
