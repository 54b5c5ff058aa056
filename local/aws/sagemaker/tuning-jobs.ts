/**
 * CreateHyperParameterTuningJob / DescribeHyperParameterTuningJob /
 * ListTrainingJobsForHyperParameterTuningJob / StopHyperParameterTuningJob. Each trial is a real
 * training job created through the training-job emulator (real `xgboost`), at most
 * MaxParallelTrainingJobs at once; its objective is the trial's final value of the objective
 * metric (FinalMetricDataList). Hyperparameters come from the seeded search of tuning-search.ts:
 * AWS's Bayesian optimization is not reproduced. TrainingJobEarlyStoppingType Auto is accepted
 * but stops no trial locally (XGBoost's own early_stopping_rounds still ends each trial).
 */
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { abortBackgroundWork, ownerIsGone, startBackgroundWork } from './background.js';
import { createContext, nowIso, sageMakerArn, toDate, type SageMakerContext, type SageMakerEmulatorOptions } from './context.js';
import { paginate } from './pagination.js';
import { RecordStore } from './record-store.js';
import { TrainingJobsEmulator } from './training-jobs.js';
import { parseTuningRequest, type TuningRequest } from './tuning-request.js';
import { sampleTrial, trialJobName } from './tuning-search.js';
import { optionalNumber, optionalString, requireString, validateSharedFields, validationError } from './validation.js';

export const TuningJobStatus = { InProgress: 'InProgress', Completed: 'Completed', Failed: 'Failed', Stopping: 'Stopping', Stopped: 'Stopped' } as const;
export type TuningJobStatus = (typeof TuningJobStatus)[keyof typeof TuningJobStatus];

interface TrialRecord {
  TrainingJobName: string;
  TrainingJobArn: string;
  TunedHyperParameters: Record<string, string>;
  TrainingJobStatus: string;
  CreationTime: string;
  TrainingStartTime?: string;
  TrainingEndTime?: string;
  FailureReason?: string;
  /** The objective metric's final value; absent when the trial reported none. */
  objective?: number;
}

export interface TuningJobRecord {
  HyperParameterTuningJobName: string;
  HyperParameterTuningJobArn: string;
  HyperParameterTuningJobStatus: TuningJobStatus;
  HyperParameterTuningJobConfig: Record<string, unknown>;
  TrainingJobDefinition: Record<string, unknown>;
  Tags?: unknown[];
  CreationTime: string;
  HyperParameterTuningEndTime?: string;
  LastModifiedTime: string;
  FailureReason?: string;
  Trials: TrialRecord[];
  OwnerPid: number;
}

const ACTIONS = ['CreateHyperParameterTuningJob', 'DescribeHyperParameterTuningJob', 'ListHyperParameterTuningJobs', 'ListTrainingJobsForHyperParameterTuningJob', 'StopHyperParameterTuningJob'] as const;
const TRAINING_TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);
const POLL_MS = 100;

export class TuningJobsEmulator implements AwsServiceEmulator {
  readonly service = 'sagemaker';
  readonly actions: readonly string[] = ACTIONS;
  private readonly context: SageMakerContext;
  private readonly store: RecordStore<TuningJobRecord>;
  /** Trials go through the training-job emulator, exactly as a CreateTrainingJob call would. */
  private readonly training: TrainingJobsEmulator;

  constructor(options: SageMakerEmulatorOptions, training = new TrainingJobsEmulator(options)) {
    this.context = createContext(options);
    this.store = new RecordStore(options.stateDir, 'tuning-jobs');
    this.training = training;
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (action) {
      case 'CreateHyperParameterTuningJob':
        validateSharedFields(input);
        return this.create(input);
      case 'DescribeHyperParameterTuningJob':
        return describeTuningJobResponse(await this.load(requireString(input, 'HyperParameterTuningJobName')));
      case 'ListTrainingJobsForHyperParameterTuningJob':
        return this.listTrials(input);
      case 'ListHyperParameterTuningJobs':
        return this.list(input);
      case 'StopHyperParameterTuningJob':
        return this.stop(requireString(input, 'HyperParameterTuningJobName'));
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  private async create(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const request = parseTuningRequest(input);
    const now = nowIso(this.context);
    const arn = sageMakerArn(this.context, 'hyper-parameter-tuning-job', request.name);
    const record: TuningJobRecord = {
      HyperParameterTuningJobName: request.name,
      HyperParameterTuningJobArn: arn,
      HyperParameterTuningJobStatus: TuningJobStatus.InProgress,
      HyperParameterTuningJobConfig: request.config,
      TrainingJobDefinition: request.definition,
      ...(Array.isArray(input.Tags) ? { Tags: input.Tags } : {}),
      CreationTime: now,
      LastModifiedTime: now,
      Trials: [],
      OwnerPid: process.pid,
    };
    if (!(await this.store.create(request.name, record))) {
      throw new AwsServiceError('ResourceInUse', `Hyperparameter tuning job names must be unique within an AWS account and region, and a tuning job with this name already exists (${arn})`);
    }
    startBackgroundWork(this.workKey(request.name), (signal) => this.run(request, signal));
    return { HyperParameterTuningJobArn: arn };
  }

  private async stop(name: string): Promise<Record<string, unknown>> {
    const record = await this.load(name);
    if (record.HyperParameterTuningJobStatus !== TuningJobStatus.InProgress) {
      throw validationError(`The hyperparameter tuning job ${record.HyperParameterTuningJobName} cannot be stopped: its status is ${record.HyperParameterTuningJobStatus}`);
    }
    await this.store.update(name, (current) => (current.HyperParameterTuningJobStatus === TuningJobStatus.InProgress ? { ...current, HyperParameterTuningJobStatus: TuningJobStatus.Stopping, LastModifiedTime: nowIso(this.context) } : undefined));
    if (!abortBackgroundWork(this.workKey(name))) await this.finishOrphanIfGone(name);
    return {};
  }

  /** StatusEquals, NameContains, newest first; enough for stopping what a run left running. */
  private async list(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const status = optionalString(input, 'StatusEquals');
    const nameContains = optionalString(input, 'NameContains')?.toLowerCase();
    const records = (await Promise.all((await this.store.list()).map((record) => this.load(record.HyperParameterTuningJobName))))
      .filter((record) => status === undefined || record.HyperParameterTuningJobStatus === status)
      .filter((record) => nameContains === undefined || record.HyperParameterTuningJobName.toLowerCase().includes(nameContains))
      .sort((a, b) => b.CreationTime.localeCompare(a.CreationTime));
    const { page, nextToken } = paginate(records, optionalNumber(input, 'MaxResults'), optionalString(input, 'NextToken'));
    return {
      HyperParameterTuningJobSummaries: page.map((record) => {
        const described = describeTuningJobResponse(record);
        return {
          HyperParameterTuningJobName: record.HyperParameterTuningJobName,
          HyperParameterTuningJobArn: record.HyperParameterTuningJobArn,
          HyperParameterTuningJobStatus: record.HyperParameterTuningJobStatus,
          Strategy: record.HyperParameterTuningJobConfig.Strategy,
          CreationTime: described.CreationTime,
          ...(described.HyperParameterTuningEndTime !== undefined ? { HyperParameterTuningEndTime: described.HyperParameterTuningEndTime } : {}),
          LastModifiedTime: described.LastModifiedTime,
          TrainingJobStatusCounters: described.TrainingJobStatusCounters,
          ObjectiveStatusCounters: described.ObjectiveStatusCounters,
          ResourceLimits: record.HyperParameterTuningJobConfig.ResourceLimits,
        };
      }),
      ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
    };
  }

  private async listTrials(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const record = await this.load(requireString(input, 'HyperParameterTuningJobName'));
    const status = optionalString(input, 'StatusEquals');
    const sortBy = optionalString(input, 'SortBy') ?? 'CreationTime';
    if (!['Name', 'CreationTime', 'Status', 'FinalObjectiveMetricValue'].includes(sortBy)) {
      throw validationError(`1 validation error detected: Value ${JSON.stringify(sortBy)} at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [Name, CreationTime, Status, FinalObjectiveMetricValue]`);
    }
    const descending = (optionalString(input, 'SortOrder') ?? 'Descending') === 'Descending';
    const metric = objectiveOf(record);
    const key = (trial: TrialRecord): string | number =>
      sortBy === 'Name' ? trial.TrainingJobName : sortBy === 'Status' ? trial.TrainingJobStatus : sortBy === 'CreationTime' ? trial.CreationTime : (trial.objective ?? (descending ? -Infinity : Infinity));
    const trials = record.Trials.filter((trial) => status === undefined || trial.TrainingJobStatus === status).sort((a, b) => {
      const order = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
      return descending ? -order : order;
    });
    const { page, nextToken } = paginate(trials, optionalNumber(input, 'MaxResults'), optionalString(input, 'NextToken'));
    return { TrainingJobSummaries: page.map((trial) => trialSummary(record, trial, metric.MetricName)), ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
  }

  private async load(name: string): Promise<TuningJobRecord> {
    const record = await this.store.get(name);
    if (record === undefined) throw new AwsServiceError('ResourceNotFound', `Amazon SageMaker can't find a tuning job with name ${name}`);
    if (!isTerminal(record.HyperParameterTuningJobStatus) && ownerIsGone(record.OwnerPid, this.workKey(name))) {
      return (await this.finishOrphanIfGone(name)) ?? record;
    }
    return record;
  }

  private async finishOrphanIfGone(name: string): Promise<TuningJobRecord | undefined> {
    return this.store.update(name, (current) => {
      if (isTerminal(current.HyperParameterTuningJobStatus) || !ownerIsGone(current.OwnerPid, this.workKey(name))) return undefined;
      const stopping = current.HyperParameterTuningJobStatus === TuningJobStatus.Stopping;
      const end = nowIso(this.context);
      return {
        ...current,
        HyperParameterTuningJobStatus: stopping ? TuningJobStatus.Stopped : TuningJobStatus.Failed,
        ...(stopping ? {} : { FailureReason: `InternalServerError: the local process running this tuning job (pid ${current.OwnerPid}) exited before the job finished` }),
        HyperParameterTuningEndTime: end,
        LastModifiedTime: end,
      };
    });
  }

  private workKey(name: string): string {
    return `tuning:${this.context.stateDir}:${name.toLowerCase()}`;
  }

  /** The background part: trials in a pool of MaxParallelTrainingJobs workers, then the verdict. */
  private async run(request: TuningRequest, signal: AbortSignal): Promise<void> {
    const seed = request.randomSeed !== undefined ? `seed:${request.randomSeed}` : `name:${request.name}`;
    let next = 0;
    const worker = async () => {
      while (!signal.aborted) {
        const index = next++;
        if (index >= request.maxTrainingJobs) return;
        await this.runTrial(request, index, sampleTrial(request.ranges, seed, index), signal);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(request.maxParallel, request.maxTrainingJobs) }, worker));
    } catch (error) {
      process.emitWarning(`tuning job ${request.name}: ${String(error)}`);
    }
    const end = nowIso(this.context);
    await this.store.update(request.name, (current) => {
      if (isTerminal(current.HyperParameterTuningJobStatus)) return undefined;
      const stopped = signal.aborted || current.HyperParameterTuningJobStatus === TuningJobStatus.Stopping;
      const anyObjective = current.Trials.some((trial) => trial.TrainingJobStatus === 'Completed' && trial.objective !== undefined);
      const status = stopped ? TuningJobStatus.Stopped : anyObjective ? TuningJobStatus.Completed : TuningJobStatus.Failed;
      const reason = status === TuningJobStatus.Failed ? `No training job succeeded after ${current.Trials.length} attempts. ${lastFailure(current)}`.trim() : undefined;
      return { ...current, HyperParameterTuningJobStatus: status, ...(reason ? { FailureReason: reason } : {}), HyperParameterTuningEndTime: end, LastModifiedTime: end };
    });
  }

  private async runTrial(request: TuningRequest, index: number, tuned: Record<string, string>, signal: AbortSignal): Promise<void> {
    const name = trialJobName(request.name, index);
    const trial: TrialRecord = {
      TrainingJobName: name,
      TrainingJobArn: sageMakerArn(this.context, 'training-job', name),
      TunedHyperParameters: tuned,
      TrainingJobStatus: 'InProgress',
      CreationTime: nowIso(this.context),
    };
    await this.saveTrial(request.name, trial);
    const definition = request.definition;
    try {
      await this.training.call('CreateTrainingJob', {
        TrainingJobName: name,
        AlgorithmSpecification: definition.AlgorithmSpecification,
        RoleArn: definition.RoleArn,
        // SageMaker adds _tuning_objective_metric to every trial; the algorithm ignores `_` names.
        HyperParameters: { ...request.staticHyperParameters, ...tuned, _tuning_objective_metric: request.objective.MetricName },
        InputDataConfig: definition.InputDataConfig,
        OutputDataConfig: definition.OutputDataConfig,
        ResourceConfig: definition.ResourceConfig,
        StoppingCondition: definition.StoppingCondition,
        ...pick(definition, ['EnableManagedSpotTraining', 'EnableNetworkIsolation', 'CheckpointConfig', 'Environment', 'VpcConfig']),
      });
    } catch (error) {
      await this.saveTrial(request.name, { ...trial, TrainingJobStatus: 'Failed', FailureReason: error instanceof Error ? `${error.name}: ${error.message}` : String(error), TrainingEndTime: nowIso(this.context) });
      return;
    }
    let described: Record<string, unknown>;
    for (;;) {
      described = await this.training.call('DescribeTrainingJob', { TrainingJobName: name });
      if (TRAINING_TERMINAL.has(String(described.TrainingJobStatus))) break;
      if (signal.aborted && described.TrainingJobStatus === 'InProgress') await this.training.call('StopTrainingJob', { TrainingJobName: name }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const metrics = (described.FinalMetricDataList ?? []) as Array<{ MetricName: string; Value: number }>;
    const objective = metrics.find((metric) => metric.MetricName === request.objective.MetricName)?.Value;
    await this.saveTrial(request.name, {
      ...trial,
      TrainingJobStatus: String(described.TrainingJobStatus),
      ...(described.TrainingStartTime instanceof Date ? { TrainingStartTime: described.TrainingStartTime.toISOString() } : {}),
      ...(described.TrainingEndTime instanceof Date ? { TrainingEndTime: described.TrainingEndTime.toISOString() } : {}),
      ...(typeof described.FailureReason === 'string' ? { FailureReason: described.FailureReason } : {}),
      ...(objective !== undefined && Number.isFinite(objective) ? { objective } : {}),
    });
  }

  private async saveTrial(name: string, trial: TrialRecord): Promise<void> {
    await this.store.update(name, (current) => {
      const others = current.Trials.filter((other) => other.TrainingJobName !== trial.TrainingJobName);
      return { ...current, Trials: [...others, trial].sort((a, b) => a.TrainingJobName.localeCompare(b.TrainingJobName)), LastModifiedTime: nowIso(this.context) };
    });
  }
}

function isTerminal(status: TuningJobStatus): boolean {
  return status === TuningJobStatus.Completed || status === TuningJobStatus.Failed || status === TuningJobStatus.Stopped;
}

function pick(source: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((field) => source[field] !== undefined).map((field) => [field, source[field]]));
}

function lastFailure(record: TuningJobRecord): string {
  const failed = record.Trials.filter((trial) => trial.FailureReason !== undefined).at(-1);
  if (failed) return `Last failure: ${failed.TrainingJobName}: ${failed.FailureReason}`;
  const noMetric = record.Trials.find((trial) => trial.TrainingJobStatus === 'Completed' && trial.objective === undefined);
  return noMetric ? `The training jobs reported no objective metric ${objectiveOf(record).MetricName} (is it in eval_metric?)` : '';
}

function objectiveOf(record: TuningJobRecord): { Type: 'Minimize' | 'Maximize'; MetricName: string } {
  return record.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective as { Type: 'Minimize' | 'Maximize'; MetricName: string };
}

/** The completed trial with the best objective value (ties: the earlier trial). */
export function bestTrial(record: TuningJobRecord): TrialRecord | undefined {
  const { Type } = objectiveOf(record);
  let best: TrialRecord | undefined;
  for (const trial of record.Trials) {
    if (trial.TrainingJobStatus !== 'Completed' || trial.objective === undefined) continue;
    if (best === undefined || (Type === 'Minimize' ? trial.objective < best.objective! : trial.objective > best.objective!)) best = trial;
  }
  return best;
}

function trialSummary(record: TuningJobRecord, trial: TrialRecord, metricName: string): Record<string, unknown> {
  const objectiveStatus = trial.objective !== undefined ? 'Succeeded' : TRAINING_TERMINAL.has(trial.TrainingJobStatus) ? 'Failed' : 'Pending';
  return {
    TrainingJobName: trial.TrainingJobName,
    TrainingJobArn: trial.TrainingJobArn,
    TuningJobName: record.HyperParameterTuningJobName,
    CreationTime: toDate(trial.CreationTime),
    ...(trial.TrainingStartTime !== undefined ? { TrainingStartTime: toDate(trial.TrainingStartTime) } : {}),
    ...(trial.TrainingEndTime !== undefined ? { TrainingEndTime: toDate(trial.TrainingEndTime) } : {}),
    TrainingJobStatus: trial.TrainingJobStatus,
    TunedHyperParameters: trial.TunedHyperParameters,
    ...(trial.FailureReason !== undefined ? { FailureReason: trial.FailureReason } : {}),
    ...(trial.objective !== undefined
      ? { FinalHyperParameterTuningJobObjectiveMetric: { Type: objectiveOf(record).Type, MetricName: metricName, Value: trial.objective } }
      : {}),
    ObjectiveStatus: objectiveStatus,
  };
}

export function describeTuningJobResponse(record: TuningJobRecord): Record<string, unknown> {
  const count = (predicate: (trial: TrialRecord) => boolean) => record.Trials.filter(predicate).length;
  const best = bestTrial(record);
  const metricName = objectiveOf(record).MetricName;
  return {
    HyperParameterTuningJobName: record.HyperParameterTuningJobName,
    HyperParameterTuningJobArn: record.HyperParameterTuningJobArn,
    HyperParameterTuningJobConfig: record.HyperParameterTuningJobConfig,
    TrainingJobDefinition: record.TrainingJobDefinition,
    HyperParameterTuningJobStatus: record.HyperParameterTuningJobStatus,
    CreationTime: toDate(record.CreationTime),
    ...(record.HyperParameterTuningEndTime !== undefined ? { HyperParameterTuningEndTime: toDate(record.HyperParameterTuningEndTime) } : {}),
    LastModifiedTime: toDate(record.LastModifiedTime),
    TrainingJobStatusCounters: {
      Completed: count((trial) => trial.TrainingJobStatus === 'Completed'),
      InProgress: count((trial) => trial.TrainingJobStatus === 'InProgress' || trial.TrainingJobStatus === 'Stopping'),
      // Local trials are never retried, so every failure counts as non-retryable.
      RetryableError: 0,
      NonRetryableError: count((trial) => trial.TrainingJobStatus === 'Failed'),
      Stopped: count((trial) => trial.TrainingJobStatus === 'Stopped'),
    },
    ObjectiveStatusCounters: {
      Succeeded: count((trial) => trial.objective !== undefined),
      Pending: count((trial) => !TRAINING_TERMINAL.has(trial.TrainingJobStatus)),
      Failed: count((trial) => TRAINING_TERMINAL.has(trial.TrainingJobStatus) && trial.objective === undefined),
    },
    ...(best !== undefined ? { BestTrainingJob: trialSummary(record, best, metricName) } : {}),
    ...(record.FailureReason !== undefined ? { FailureReason: record.FailureReason } : {}),
  };
}
