/**
 * CreateTrainingJob / DescribeTrainingJob / StopTrainingJob / ListTrainingJobs for the built-in
 * XGBoost 1.7 algorithm. The job runs in the background with SageMaker's container layout under
 * `<stateDir>/sagemaker/training/<job>/opt/ml/`, trains with the `xgboost` command and uploads
 * `<S3OutputPath>/<job>/output/model.tar.gz` to the local S3 zone.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { abortBackgroundWork, ownerIsGone, startBackgroundWork } from './background.js';
import { createContext, nowIso, sageMakerArn, toDate, type SageMakerContext, type SageMakerEmulatorOptions } from './context.js';
import { paginate } from './pagination.js';
import { RecordStore } from './record-store.js';
import { joinS3Uri } from './s3-objects.js';
import { validateSharedFields,
  optionalBoolean,
  optionalNumber,
  optionalObject,
  optionalString,
  optionalStringMap,
  requireArray,
  requireName,
  requireObject,
  requireString,
  validationError,
} from './validation.js';
import { trainXgboost } from './xgboost-backend.js';
import { requireXgboost17Image } from './xgboost-image.js';
import { layOutContainer, requireS3Uri, syncCheckpoints, uploadModel, validateChannel, writeFailureFile } from './training-container.js';

export const TrainingJobStatus = { InProgress: 'InProgress', Completed: 'Completed', Failed: 'Failed', Stopping: 'Stopping', Stopped: 'Stopped' } as const;
export type TrainingJobStatus = (typeof TrainingJobStatus)[keyof typeof TrainingJobStatus];

type SecondaryStatus = 'Starting' | 'Downloading' | 'Training' | 'Uploading' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped' | 'MaxRuntimeExceeded';


interface TransitionRecord {
  Status: SecondaryStatus;
  StartTime: string;
  EndTime?: string;
  StatusMessage: string;
}

export interface TrainingJobRecord {
  TrainingJobName: string;
  TrainingJobArn: string;
  TrainingJobStatus: TrainingJobStatus;
  SecondaryStatus: SecondaryStatus;
  SecondaryStatusTransitions: TransitionRecord[];
  FailureReason?: string;
  HyperParameters: Record<string, string>;
  AlgorithmSpecification: Record<string, unknown>;
  RoleArn: string;
  InputDataConfig: Array<Record<string, unknown>>;
  OutputDataConfig: Record<string, unknown>;
  ResourceConfig?: Record<string, unknown>;
  StoppingCondition: Record<string, unknown>;
  EnableManagedSpotTraining: boolean;
  EnableNetworkIsolation: boolean;
  CheckpointConfig?: Record<string, unknown>;
  Environment?: Record<string, string>;
  Tags?: unknown[];
  S3ModelArtifacts: string;
  FinalMetricDataList: Array<{ MetricName: string; Value: number; Timestamp: string }>;
  CreationTime: string;
  TrainingStartTime?: string;
  TrainingEndTime?: string;
  LastModifiedTime: string;
  /** Local only: the process running the job, and where its container files and log are. */
  OwnerPid: number;
  LocalJobDir: string;
  LocalLogPath?: string;
  /** Local only: the job ended because the process running it died (killed), not by its own failure. */
  LocalOwnerExited?: boolean;
}

const ACTIONS = ['CreateTrainingJob', 'DescribeTrainingJob', 'StopTrainingJob', 'ListTrainingJobs'] as const;

export class TrainingJobsEmulator implements AwsServiceEmulator {
  readonly service = 'sagemaker';
  readonly actions: readonly string[] = ACTIONS;
  private readonly context: SageMakerContext;
  private readonly store: RecordStore<TrainingJobRecord>;

  constructor(options: SageMakerEmulatorOptions) {
    this.context = createContext(options);
    this.store = new RecordStore(options.stateDir, 'training-jobs');
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action.startsWith('Create')) validateSharedFields(input);
    switch (action) {
      case 'CreateTrainingJob':
        return this.create(input);
      case 'DescribeTrainingJob':
        return describeTrainingJobResponse(await this.load(requireString(input, 'TrainingJobName')));
      case 'StopTrainingJob':
        return this.stop(requireString(input, 'TrainingJobName'));
      case 'ListTrainingJobs':
        return this.list(input);
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  private async create(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = requireName(input, 'TrainingJobName');
    const algorithm = requireObject(input, 'AlgorithmSpecification');
    const image = requireString(algorithm, 'TrainingImage', 'algorithmSpecification.trainingImage');
    requireXgboost17Image(image, 'AlgorithmSpecification.TrainingImage');
    const roleArn = requireString(input, 'RoleArn');
    const channels = requireArray(input, 'InputDataConfig').map((channel, index) => validateChannel(channel, index));
    if (!channels.some((channel) => channel.ChannelName === 'train')) {
      throw validationError(`InputDataConfig must contain a channel named "train" for the built-in XGBoost algorithm; got channels ${JSON.stringify(channels.map((c) => c.ChannelName))}`);
    }
    const output = requireObject(input, 'OutputDataConfig');
    const outputPath = requireS3Uri(output, 'S3OutputPath', 'OutputDataConfig.S3OutputPath');
    const stopping = optionalObject(input, 'StoppingCondition') ?? {};
    const maxRuntime = optionalNumber(stopping, 'MaxRuntimeInSeconds', 'StoppingCondition.MaxRuntimeInSeconds') ?? 86_400;
    const maxWait = optionalNumber(stopping, 'MaxWaitTimeInSeconds', 'StoppingCondition.MaxWaitTimeInSeconds');
    const spot = optionalBoolean(input, 'EnableManagedSpotTraining') ?? false;
    const checkpoint = optionalObject(input, 'CheckpointConfig');
    if (spot) {
      if (maxWait === undefined) {
        throw validationError('StoppingCondition.MaxWaitTimeInSeconds is required when EnableManagedSpotTraining is true');
      }
      if (maxWait <= maxRuntime) {
        throw validationError(
          `StoppingCondition.MaxWaitTimeInSeconds (${maxWait}) must be greater than MaxRuntimeInSeconds (${maxRuntime}) when EnableManagedSpotTraining is true`,
        );
      }
    } else if (maxWait !== undefined) {
      throw validationError('StoppingCondition.MaxWaitTimeInSeconds can only be set when EnableManagedSpotTraining is true');
    }
    if (checkpoint !== undefined) requireS3Uri(checkpoint, 'S3Uri', 'CheckpointConfig.S3Uri');
    const hyperparameters = optionalStringMap(input, 'HyperParameters') ?? {};

    const now = nowIso(this.context);
    const arn = sageMakerArn(this.context, 'training-job', name);
    const jobDir = join(this.context.root, 'training', name.toLowerCase());
    const record: TrainingJobRecord = {
      TrainingJobName: name,
      TrainingJobArn: arn,
      TrainingJobStatus: TrainingJobStatus.InProgress,
      SecondaryStatus: 'Starting',
      SecondaryStatusTransitions: [{ Status: 'Starting', StartTime: now, StatusMessage: 'Launching requested ML instances' }],
      HyperParameters: hyperparameters,
      AlgorithmSpecification: { TrainingInputMode: 'File', ...algorithm },
      RoleArn: roleArn,
      InputDataConfig: channels as unknown as Array<Record<string, unknown>>,
      OutputDataConfig: output,
      ...(optionalObject(input, 'ResourceConfig') !== undefined ? { ResourceConfig: optionalObject(input, 'ResourceConfig') } : {}),
      StoppingCondition: { MaxRuntimeInSeconds: maxRuntime, ...(maxWait !== undefined ? { MaxWaitTimeInSeconds: maxWait } : {}) },
      EnableManagedSpotTraining: spot,
      EnableNetworkIsolation: optionalBoolean(input, 'EnableNetworkIsolation') ?? false,
      ...(checkpoint !== undefined ? { CheckpointConfig: checkpoint } : {}),
      ...(optionalStringMap(input, 'Environment') !== undefined ? { Environment: optionalStringMap(input, 'Environment') } : {}),
      ...(Array.isArray(input.Tags) ? { Tags: input.Tags } : {}),
      S3ModelArtifacts: joinS3Uri(outputPath, name, 'output', 'model.tar.gz'),
      FinalMetricDataList: [],
      CreationTime: now,
      LastModifiedTime: now,
      OwnerPid: process.pid,
      LocalJobDir: jobDir,
    };
    if (!(await this.store.create(name, record)) && !(await this.takeOverAbandoned(name, record))) {
      const existing = await this.store.get(name);
      throw new AwsServiceError(
        'ResourceInUse',
        `Training job names must be unique within an AWS account and region, and a training job with this name already exists (${existing?.TrainingJobArn ?? arn})`,
      );
    }
    startBackgroundWork(this.workKey(name), (signal) => this.run(record, signal));
    return { TrainingJobArn: arn };
  }

  private async stop(name: string): Promise<Record<string, unknown>> {
    const record = await this.load(name);
    if (record.TrainingJobStatus !== TrainingJobStatus.InProgress) {
      throw validationError(`The training job ${record.TrainingJobName} cannot be stopped: its status is ${record.TrainingJobStatus}`);
    }
    await this.transition(name, TrainingJobStatus.Stopping, 'Stopping', 'Stopping the training job');
    if (!abortBackgroundWork(this.workKey(name))) {
      // Another process runs it (or nobody does any more): that process sees Stopping and ends it.
      await this.finishOrphanIfGone(name);
    }
    return {};
  }

  private async list(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const nameContains = optionalString(input, 'NameContains')?.toLowerCase();
    const status = optionalString(input, 'StatusEquals');
    const descending = (optionalString(input, 'SortOrder') ?? 'Descending') === 'Descending';
    const sortBy = optionalString(input, 'SortBy') ?? 'CreationTime';
    const records = (await Promise.all((await this.store.list()).map((record) => this.refresh(record))))
      .filter((record) => nameContains === undefined || record.TrainingJobName.toLowerCase().includes(nameContains))
      .filter((record) => status === undefined || record.TrainingJobStatus === status)
      .sort((a, b) => {
        const key = (r: TrainingJobRecord) => (sortBy === 'Name' ? r.TrainingJobName : sortBy === 'Status' ? r.TrainingJobStatus : r.CreationTime);
        const order = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
        return descending ? -order : order;
      });
    const { page, nextToken } = paginate(records, optionalNumber(input, 'MaxResults'), optionalString(input, 'NextToken'));
    return {
      TrainingJobSummaries: page.map((record) => ({
        TrainingJobName: record.TrainingJobName,
        TrainingJobArn: record.TrainingJobArn,
        CreationTime: toDate(record.CreationTime),
        TrainingEndTime: toDate(record.TrainingEndTime),
        LastModifiedTime: toDate(record.LastModifiedTime),
        TrainingJobStatus: record.TrainingJobStatus,
      })),
      ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
    };
  }

  private async load(name: string): Promise<TrainingJobRecord> {
    const record = await this.store.get(name);
    // DescribeTrainingJob answers an unknown name with this ValidationException, not ResourceNotFound.
    if (record === undefined) throw validationError('Requested resource not found.');
    return this.refresh(record);
  }

  private async refresh(record: TrainingJobRecord): Promise<TrainingJobRecord> {
    if (!isTerminal(record.TrainingJobStatus) && ownerIsGone(record.OwnerPid, this.workKey(record.TrainingJobName))) {
      return (await this.finishOrphanIfGone(record.TrainingJobName)) ?? record;
    }
    return record;
  }

  private async finishOrphanIfGone(name: string): Promise<TrainingJobRecord | undefined> {
    return this.store.update(name, (current) => {
      if (isTerminal(current.TrainingJobStatus) || !ownerIsGone(current.OwnerPid, this.workKey(name))) return undefined;
      const stopping = current.TrainingJobStatus === TrainingJobStatus.Stopping;
      const next = applyTransition(
        current,
        stopping ? TrainingJobStatus.Stopped : TrainingJobStatus.Failed,
        stopping ? 'Stopped' : 'Failed',
        stopping ? 'Training job stopped' : 'Training job failed',
        nowIso(this.context),
        stopping ? undefined : `InternalServerError: the local process running this job (pid ${current.OwnerPid}) exited before the job finished`,
      );
      return stopping ? next : { ...next, LocalOwnerExited: true };
    });
  }

  /**
   * A job whose local process was killed (a SIGKILLed `pricesense run`) would have kept running on
   * its own instances on AWS, and a redriven `.sync` state would find it there. Locally its work died
   * with the process, so a create under the same name restarts it in this process instead of
   * failing with ResourceInUse; a job that ended on its own (Completed, Failed, Stopped) stays taken.
   */
  private async takeOverAbandoned(name: string, record: TrainingJobRecord): Promise<boolean> {
    let replaced = false;
    await this.store.update(name, (current) => {
      const abandoned = current.TrainingJobStatus === TrainingJobStatus.InProgress || current.LocalOwnerExited === true;
      replaced = abandoned && current.OwnerPid !== process.pid && ownerIsGone(current.OwnerPid, this.workKey(name));
      return replaced ? record : undefined;
    });
    return replaced;
  }

  private workKey(name: string): string {
    return `training:${this.context.stateDir}:${name.toLowerCase()}`;
  }

  /** Progress report of the running work; a stop requested from another process aborts it here. */
  private async progress(name: string, secondary: SecondaryStatus, message: string): Promise<void> {
    const record = await this.transition(name, TrainingJobStatus.InProgress, secondary, message);
    if (record?.TrainingJobStatus === TrainingJobStatus.Stopping) abortBackgroundWork(this.workKey(name));
  }

  private async transition(name: string, status: TrainingJobStatus, secondary: SecondaryStatus, message: string, failureReason?: string): Promise<TrainingJobRecord | undefined> {
    return this.store.update(name, (current) => {
      // A stop request wins over the work's own progress reports.
      if (isTerminal(current.TrainingJobStatus)) return undefined;
      if (current.TrainingJobStatus === TrainingJobStatus.Stopping && status === TrainingJobStatus.InProgress) return undefined;
      return applyTransition(current, status, secondary, message, nowIso(this.context), failureReason);
    });
  }

  /** The background part: channels, training, upload; every outcome ends in a terminal status. */
  private async run(job: TrainingJobRecord, signal: AbortSignal): Promise<void> {
    const name = job.TrainingJobName;
    const maxRuntimeMs = Number(job.StoppingCondition.MaxRuntimeInSeconds) * 1000;
    const runtimeLimit = new AbortController();
    const timer = setTimeout(() => runtimeLimit.abort(), maxRuntimeMs);
    const combined = AbortSignal.any([signal, runtimeLimit.signal]);
    const optMl = join(job.LocalJobDir, 'opt', 'ml');
    try {
      await rm(job.LocalJobDir, { recursive: true, force: true });
      await this.progress(name, 'Downloading', 'Downloading input data');
      await layOutContainer(this.context.stateDir, job, optMl);
      throwIfAborted(combined);

      await this.progress(name, 'Training', 'Training image download completed. Training in progress.');
      await this.store.update(name, (current) => ({ ...current, TrainingStartTime: nowIso(this.context) }));
      const hasValidation = job.InputDataConfig.some((channel) => channel.ChannelName === 'validation');
      const result = await trainXgboost({
        trainCsv: join(optMl, 'input', 'data', 'train'),
        ...(hasValidation ? { validationCsv: join(optMl, 'input', 'data', 'validation') } : {}),
        hyperparameters: job.HyperParameters,
        workDir: join(job.LocalJobDir, 'work'),
        modelOut: join(optMl, 'model', 'xgboost-model'),
        signal: combined,
      });
      throwIfAborted(combined);

      await this.progress(name, 'Uploading', 'Uploading generated training model');
      await uploadModel(this.context.stateDir, optMl, job.S3ModelArtifacts);
      await syncCheckpoints(this.context.stateDir, job, optMl);
      const end = nowIso(this.context);
      await this.store.update(name, (current) => {
        if (isTerminal(current.TrainingJobStatus)) return undefined;
        // A stop that arrived after the last step still ends the job Stopped, as SageMaker does.
        const done =
          current.TrainingJobStatus === TrainingJobStatus.Stopping
            ? applyTransition(current, TrainingJobStatus.Stopped, 'Stopped', 'Training job stopped', end)
            : applyTransition(current, TrainingJobStatus.Completed, 'Completed', 'Training job completed', end);
        return {
          ...done,
          TrainingEndTime: end,
          LocalLogPath: result.logPath,
          FinalMetricDataList: result.metrics.map((metric) => ({ MetricName: metric.name, Value: metric.value, Timestamp: end })),
        };
      });
    } catch (error) {
      const end = nowIso(this.context);
      const stopped = signal.aborted;
      const timedOut = !stopped && runtimeLimit.signal.aborted;
      const reason = timedOut
        ? `MaxRuntimeExceeded: Training job exceeded MaxRuntimeInSeconds provided (${job.StoppingCondition.MaxRuntimeInSeconds})`
        : `AlgorithmError: ${error instanceof Error ? error.message : String(error)}`;
      if (!stopped && !timedOut) await writeFailureFile(optMl, reason);
      await this.store.update(name, (current) => {
        if (isTerminal(current.TrainingJobStatus)) return undefined;
        const next = stopped
          ? applyTransition(current, TrainingJobStatus.Stopped, 'Stopped', 'Training job stopped', end)
          : timedOut
            ? applyTransition(current, TrainingJobStatus.Stopped, 'MaxRuntimeExceeded', 'Training job exceeded MaxRuntimeInSeconds', end, reason)
            : applyTransition(current, TrainingJobStatus.Failed, 'Failed', 'Training job failed', end, reason);
        return { ...next, TrainingEndTime: end };
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

function isTerminal(status: TrainingJobStatus): boolean {
  return status === TrainingJobStatus.Completed || status === TrainingJobStatus.Failed || status === TrainingJobStatus.Stopped;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('Training was stopped');
}

function applyTransition(
  current: TrainingJobRecord,
  status: TrainingJobStatus,
  secondary: SecondaryStatus,
  message: string,
  at: string,
  failureReason?: string,
): TrainingJobRecord {
  const transitions = current.SecondaryStatusTransitions.map((transition, index, all) =>
    index === all.length - 1 && transition.EndTime === undefined ? { ...transition, EndTime: at } : transition,
  );
  const terminal = isTerminal(status);
  transitions.push({ Status: secondary, StartTime: at, ...(terminal ? { EndTime: at } : {}), StatusMessage: message });
  return {
    ...current,
    TrainingJobStatus: status,
    SecondaryStatus: secondary,
    SecondaryStatusTransitions: transitions,
    LastModifiedTime: at,
    ...(failureReason !== undefined ? { FailureReason: failureReason } : {}),
  };
}

export function describeTrainingJobResponse(record: TrainingJobRecord): Record<string, unknown> {
  const start = record.TrainingStartTime;
  const end = record.TrainingEndTime;
  const seconds = start !== undefined && end !== undefined ? Math.max(1, Math.round((Date.parse(end) - Date.parse(start)) / 1000)) : undefined;
  return {
    TrainingJobName: record.TrainingJobName,
    TrainingJobArn: record.TrainingJobArn,
    ModelArtifacts: { S3ModelArtifacts: record.S3ModelArtifacts },
    TrainingJobStatus: record.TrainingJobStatus,
    SecondaryStatus: record.SecondaryStatus,
    ...(record.FailureReason !== undefined ? { FailureReason: record.FailureReason } : {}),
    HyperParameters: record.HyperParameters,
    AlgorithmSpecification: record.AlgorithmSpecification,
    RoleArn: record.RoleArn,
    InputDataConfig: record.InputDataConfig,
    OutputDataConfig: record.OutputDataConfig,
    ...(record.ResourceConfig !== undefined ? { ResourceConfig: record.ResourceConfig } : {}),
    StoppingCondition: record.StoppingCondition,
    CreationTime: toDate(record.CreationTime),
    ...(start !== undefined ? { TrainingStartTime: toDate(start) } : {}),
    ...(end !== undefined ? { TrainingEndTime: toDate(end) } : {}),
    LastModifiedTime: toDate(record.LastModifiedTime),
    SecondaryStatusTransitions: record.SecondaryStatusTransitions.map((transition) => ({
      Status: transition.Status,
      StartTime: toDate(transition.StartTime),
      ...(transition.EndTime !== undefined ? { EndTime: toDate(transition.EndTime) } : {}),
      StatusMessage: transition.StatusMessage,
    })),
    FinalMetricDataList: record.FinalMetricDataList.map((metric) => ({ MetricName: metric.MetricName, Value: metric.Value, Timestamp: toDate(metric.Timestamp) })),
    EnableNetworkIsolation: record.EnableNetworkIsolation,
    EnableInterContainerTrafficEncryption: false,
    EnableManagedSpotTraining: record.EnableManagedSpotTraining,
    ...(record.CheckpointConfig !== undefined ? { CheckpointConfig: record.CheckpointConfig } : {}),
    ...(record.Environment !== undefined ? { Environment: record.Environment } : {}),
    ...(seconds !== undefined ? { TrainingTimeInSeconds: seconds, BillableTimeInSeconds: seconds } : {}),
  };
}
