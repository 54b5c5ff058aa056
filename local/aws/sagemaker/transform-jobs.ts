/**
 * CreateTransformJob / DescribeTransformJob / StopTransformJob: batch scoring of every object
 * under an S3 prefix with the model's archive, in the background. Each input object `<name>`
 * gets `<S3OutputPath>/<name>.out` in the container's CSV (or JSON) format, one line per input row
 * in input order (see csv-predictions.ts).
 */
import { readFile } from 'node:fs/promises';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from '../emulator.js';
import { localObjectPath, parseS3Uri } from '../s3-location.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import { abortBackgroundWork, ownerIsGone, startBackgroundWork } from './background.js';
import { createContext, nowIso, sageMakerArn, toDate, type SageMakerContext, type SageMakerEmulatorOptions } from './context.js';
import { formatCsvPredictions, formatJsonPredictions, parseFeatureRows } from './csv-predictions.js';
import { loadModelFromUri } from './model-cache.js';
import { modelNotFound, modelStore, type ModelRecord } from './models.js';
import { RecordStore } from './record-store.js';
import { joinS3Uri, listObjectsUnder } from './s3-objects.js';
import { validateSharedFields, oneOf, optionalObject, optionalString, optionalStringMap, requireName, requireObject, requireString, validationError } from './validation.js';

export const TransformJobStatus = { InProgress: 'InProgress', Completed: 'Completed', Failed: 'Failed', Stopping: 'Stopping', Stopped: 'Stopped' } as const;
export type TransformJobStatus = (typeof TransformJobStatus)[keyof typeof TransformJobStatus];

export interface TransformJobRecord {
  TransformJobName: string;
  TransformJobArn: string;
  TransformJobStatus: TransformJobStatus;
  FailureReason?: string;
  ModelName: string;
  TransformInput: Record<string, unknown>;
  TransformOutput: Record<string, unknown>;
  TransformResources: Record<string, unknown>;
  Environment?: Record<string, string>;
  BatchStrategy?: string;
  CreationTime: string;
  TransformStartTime?: string;
  TransformEndTime?: string;
  OwnerPid: number;
  /** Local only: rows scored so far, for progress reports. */
  RowsScored: number;
}

const ACTIONS = ['CreateTransformJob', 'DescribeTransformJob', 'StopTransformJob'] as const;
const ACCEPT_TYPES = ['text/csv', 'application/json'] as const;

export class TransformJobsEmulator implements AwsServiceEmulator {
  readonly service = 'sagemaker';
  readonly actions: readonly string[] = ACTIONS;
  private readonly context: SageMakerContext;
  private readonly store: RecordStore<TransformJobRecord>;
  private readonly models: RecordStore<ModelRecord>;

  constructor(options: SageMakerEmulatorOptions) {
    this.context = createContext(options);
    this.store = new RecordStore(options.stateDir, 'transform-jobs');
    this.models = modelStore(options.stateDir);
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (action.startsWith('Create')) validateSharedFields(input);
    switch (action) {
      case 'CreateTransformJob':
        return this.create(input);
      case 'DescribeTransformJob':
        return describeTransformJob(await this.load(requireString(input, 'TransformJobName')));
      case 'StopTransformJob': {
        const record = await this.load(requireString(input, 'TransformJobName'));
        if (record.TransformJobStatus !== TransformJobStatus.InProgress) {
          throw validationError(`The transform job ${record.TransformJobName} cannot be stopped: its status is ${record.TransformJobStatus}`);
        }
        await this.store.update(record.TransformJobName, (current) =>
          current.TransformJobStatus === TransformJobStatus.InProgress ? { ...current, TransformJobStatus: TransformJobStatus.Stopping } : undefined,
        );
        abortBackgroundWork(this.workKey(record.TransformJobName));
        return {};
      }
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  private async create(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = requireName(input, 'TransformJobName');
    const modelName = requireString(input, 'ModelName');
    const transformInput = requireObject(input, 'TransformInput');
    const s3 = requireObject(requireObject(transformInput, 'DataSource', 'TransformInput.DataSource'), 'S3DataSource', 'TransformInput.DataSource.S3DataSource');
    const dataType = optionalString(s3, 'S3DataType') ?? 'S3Prefix';
    if (dataType !== 'S3Prefix') throw validationError(`TransformInput.DataSource.S3DataSource.S3DataType ${JSON.stringify(dataType)} is not supported locally; use S3Prefix`);
    const inputUri = requireString(s3, 'S3Uri', 'TransformInput.DataSource.S3DataSource.S3Uri');
    if (!inputUri.startsWith('s3://')) throw validationError(`TransformInput.DataSource.S3DataSource.S3Uri must be an S3 URI, got ${JSON.stringify(inputUri)}`);
    const contentType = optionalString(transformInput, 'ContentType') ?? 'text/csv';
    if (!/^text\/csv\b/i.test(contentType)) {
      throw validationError(`TransformInput.ContentType ${JSON.stringify(contentType)} is not supported locally; the XGBoost container accepts text/csv here`);
    }
    const splitType = oneOf(transformInput.SplitType ?? 'None', ['None', 'Line'] as const, 'transformInput.splitType');
    const compression = optionalString(transformInput, 'CompressionType') ?? 'None';
    if (compression !== 'None') throw validationError(`TransformInput.CompressionType ${JSON.stringify(compression)} is not supported locally; use None`);
    const transformOutput = requireObject(input, 'TransformOutput');
    const outputPath = requireString(transformOutput, 'S3OutputPath', 'TransformOutput.S3OutputPath');
    if (!outputPath.startsWith('s3://')) throw validationError(`TransformOutput.S3OutputPath must be an S3 URI, got ${JSON.stringify(outputPath)}`);
    const accept = oneOf(transformOutput.Accept ?? 'text/csv', ACCEPT_TYPES, 'transformOutput.accept');
    const assembleWith = oneOf(transformOutput.AssembleWith ?? 'None', ['None', 'Line'] as const, 'transformOutput.assembleWith');
    const resources = requireObject(input, 'TransformResources');
    const processing = optionalObject(input, 'DataProcessing');
    if (processing !== undefined && (processing.InputFilter !== undefined || processing.OutputFilter !== undefined || (processing.JoinSource ?? 'None') !== 'None')) {
      throw validationError(`DataProcessing ${JSON.stringify(processing)} is not supported locally; score feature-only input and join afterwards`);
    }
    if ((await this.models.get(modelName)) === undefined) throw modelNotFound(this.context, modelName);

    const now = nowIso(this.context);
    const arn = sageMakerArn(this.context, 'transform-job', name);
    const environment = optionalStringMap(input, 'Environment');
    const batchStrategy = optionalString(input, 'BatchStrategy');
    const record: TransformJobRecord = {
      TransformJobName: name,
      TransformJobArn: arn,
      TransformJobStatus: TransformJobStatus.InProgress,
      ModelName: modelName,
      TransformInput: { ...transformInput, ContentType: contentType, SplitType: splitType, CompressionType: compression },
      TransformOutput: { ...transformOutput, Accept: accept, AssembleWith: assembleWith },
      TransformResources: resources,
      ...(environment !== undefined ? { Environment: environment } : {}),
      ...(batchStrategy !== undefined ? { BatchStrategy: batchStrategy } : {}),
      CreationTime: now,
      OwnerPid: process.pid,
      RowsScored: 0,
    };
    if (!(await this.store.create(name, record))) {
      throw new AwsServiceError('ResourceInUse', `Job name must be unique within an AWS account and region, and a job with this name already exists (${arn})`);
    }
    startBackgroundWork(this.workKey(name), (signal) => this.run(record, inputUri, outputPath, accept, signal));
    return { TransformJobArn: arn };
  }

  private async load(name: string): Promise<TransformJobRecord> {
    const record = await this.store.get(name);
    if (record === undefined) throw validationError(`Could not find requested job with name ${name}`);
    const open = record.TransformJobStatus === TransformJobStatus.InProgress || record.TransformJobStatus === TransformJobStatus.Stopping;
    if (open && ownerIsGone(record.OwnerPid, this.workKey(name))) {
      const end = nowIso(this.context);
      return (
        (await this.store.update(name, (current) =>
          current.TransformJobStatus === TransformJobStatus.InProgress
            ? { ...current, TransformJobStatus: TransformJobStatus.Failed, FailureReason: `InternalServerError: the local process running this job (pid ${current.OwnerPid}) exited before the job finished`, TransformEndTime: end }
            : current.TransformJobStatus === TransformJobStatus.Stopping
              ? { ...current, TransformJobStatus: TransformJobStatus.Stopped, TransformEndTime: end }
              : undefined,
        )) ?? record
      );
    }
    return record;
  }

  private workKey(name: string): string {
    return `transform:${this.context.stateDir}:${name.toLowerCase()}`;
  }

  private async run(job: TransformJobRecord, inputUri: string, outputPath: string, accept: (typeof ACCEPT_TYPES)[number], signal: AbortSignal): Promise<void> {
    const name = job.TransformJobName;
    try {
      await this.store.update(name, (current) => ({ ...current, TransformStartTime: nowIso(this.context) }));
      const model = await this.models.get(job.ModelName);
      if (model === undefined) throw new Error(`ClientError: the model ${job.ModelName} was deleted before the job started`);
      const { model: scorer } = await loadModelFromUri(this.context.stateDir, model.ModelDataUrl);
      const objects = await listObjectsUnder(this.context.stateDir, inputUri);
      if (objects.length === 0) throw new Error(`ClientError: no input objects found under ${inputUri}`);
      for (const object of objects) {
        if (signal.aborted) break;
        const text = await readFile(object.path, 'utf8');
        let rows;
        try {
          rows = parseFeatureRows(text, scorer.numFeatures, `input object ${object.key}`);
        } catch (error) {
          throw new Error(`ClientError: ${error instanceof Error ? error.message : String(error)}`);
        }
        const probabilities = scorer.predictProba(rows.values, rows.numRows);
        const body = accept === 'application/json' ? formatJsonPredictions(probabilities, scorer.numClass) : formatCsvPredictions(probabilities, scorer.numClass);
        const { bucket, key } = parseS3Uri(joinS3Uri(outputPath, `${object.relativePath}.out`));
        await writeFileAtomic(localObjectPath(this.context.stateDir, bucket, key), body);
        await this.store.update(name, (current) => ({ ...current, RowsScored: current.RowsScored + rows.numRows }));
      }
      const end = nowIso(this.context);
      await this.store.update(name, (current) => ({
        ...current,
        TransformJobStatus: signal.aborted ? TransformJobStatus.Stopped : TransformJobStatus.Completed,
        TransformEndTime: end,
      }));
    } catch (error) {
      const end = nowIso(this.context);
      await this.store.update(name, (current) => ({
        ...current,
        TransformJobStatus: signal.aborted ? TransformJobStatus.Stopped : TransformJobStatus.Failed,
        ...(signal.aborted ? {} : { FailureReason: error instanceof Error ? error.message : String(error) }),
        TransformEndTime: end,
      }));
    }
  }
}

function describeTransformJob(record: TransformJobRecord): Record<string, unknown> {
  return {
    TransformJobName: record.TransformJobName,
    TransformJobArn: record.TransformJobArn,
    TransformJobStatus: record.TransformJobStatus,
    ...(record.FailureReason !== undefined ? { FailureReason: record.FailureReason } : {}),
    ModelName: record.ModelName,
    ...(record.BatchStrategy !== undefined ? { BatchStrategy: record.BatchStrategy } : {}),
    ...(record.Environment !== undefined ? { Environment: record.Environment } : {}),
    TransformInput: record.TransformInput,
    TransformOutput: record.TransformOutput,
    TransformResources: record.TransformResources,
    CreationTime: toDate(record.CreationTime),
    ...(record.TransformStartTime !== undefined ? { TransformStartTime: toDate(record.TransformStartTime) } : {}),
    ...(record.TransformEndTime !== undefined ? { TransformEndTime: toDate(record.TransformEndTime) } : {}),
  };
}
