/**
 * The container side of a local training job: the channels of CreateTrainingJob checked against
 * what the built-in XGBoost 1.7 algorithm accepts, SageMaker's `/opt/ml` layout laid out from the
 * local S3 zone, the model archive and checkpoints uploaded back, the failure file written.
 */
import { copyFile, link, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { localObjectPath, parseS3Uri } from '../s3-location.js';
import { listObjectsUnder } from './s3-objects.js';
import type { TrainingJobRecord } from './training-jobs.js';
import { optionalString, requireObject, requireString, validationError } from './validation.js';
import { packModelArchive } from './xgboost-backend.js';

const SUPPORTED_CHANNELS = ['train', 'validation'] as const;
const CSV_CONTENT_TYPE = /^(text\/csv|csv)(\s*;\s*label_size=1)?$/i;

export interface ValidatedChannel {
  ChannelName: string;
  DataSource: { S3DataSource: { S3DataType: string; S3Uri: string; S3DataDistributionType: string } };
  ContentType: string;
  CompressionType: string;
  RecordWrapperType: string;
  InputMode?: string;
}

export function validateChannel(value: unknown, index: number): ValidatedChannel {
  const path = `InputDataConfig.${index + 1}`;
  if (value === null || typeof value !== 'object') throw validationError(`${path} must be a Channel object, got ${JSON.stringify(value)}`);
  const channel = value as Record<string, unknown>;
  const name = requireString(channel, 'ChannelName', `${path}.ChannelName`);
  if (!(SUPPORTED_CHANNELS as readonly string[]).includes(name)) {
    throw validationError(`${path}.ChannelName ${JSON.stringify(name)} is not a channel of the built-in XGBoost algorithm; expected one of ${SUPPORTED_CHANNELS.join(', ')}`);
  }
  const s3 = requireObject(requireObject(channel, 'DataSource', `${path}.DataSource`), 'S3DataSource', `${path}.DataSource.S3DataSource`);
  const dataType = optionalString(s3, 'S3DataType') ?? 'S3Prefix';
  if (dataType !== 'S3Prefix') {
    throw validationError(`${path}.DataSource.S3DataSource.S3DataType ${JSON.stringify(dataType)} is not supported locally; use S3Prefix`);
  }
  const uri = requireS3Uri(s3, 'S3Uri', `${path}.DataSource.S3DataSource.S3Uri`);
  const contentType = optionalString(channel, 'ContentType') ?? 'text/csv';
  if (!CSV_CONTENT_TYPE.test(contentType)) {
    throw validationError(`${path}.ContentType ${JSON.stringify(contentType)} is not supported locally; the local XGBoost training reads headerless label-first CSV: use text/csv`);
  }
  const compression = optionalString(channel, 'CompressionType') ?? 'None';
  if (compression !== 'None') throw validationError(`${path}.CompressionType ${JSON.stringify(compression)} is not supported locally; use None`);
  const inputMode = optionalString(channel, 'InputMode');
  return {
    ChannelName: name,
    DataSource: { S3DataSource: { S3DataType: dataType, S3Uri: uri, S3DataDistributionType: optionalString(s3, 'S3DataDistributionType') ?? 'FullyReplicated' } },
    ContentType: contentType,
    CompressionType: compression,
    RecordWrapperType: optionalString(channel, 'RecordWrapperType') ?? 'None',
    ...(inputMode !== undefined ? { InputMode: inputMode } : {}),
  };
}

export function requireS3Uri(input: Record<string, unknown>, field: string, path: string): string {
  const value = requireString(input, field, path);
  if (!/^s3:\/\/[^/]+/.test(value)) throw validationError(`${path} must be an S3 URI like s3://bucket/prefix/, got ${JSON.stringify(value)}`);
  return value;
}

/** The files the built-in container finds under /opt/ml, with each channel's objects linked in. */
export async function layOutContainer(stateDir: string, job: TrainingJobRecord, optMl: string): Promise<void> {
  const configDir = join(optMl, 'input', 'config');
  await mkdir(configDir, { recursive: true });
  for (const dir of ['model', 'output', 'checkpoints']) await mkdir(join(optMl, dir), { recursive: true });
  await writeFile(join(configDir, 'hyperparameters.json'), JSON.stringify(job.HyperParameters));
  const inputConfig: Record<string, unknown> = {};
  for (const channel of job.InputDataConfig as unknown as ValidatedChannel[]) {
    inputConfig[channel.ChannelName] = {
      ContentType: channel.ContentType,
      TrainingInputMode: channel.InputMode ?? 'File',
      S3DistributionType: channel.DataSource.S3DataSource.S3DataDistributionType,
      RecordWrapperType: channel.RecordWrapperType,
    };
  }
  await writeFile(join(configDir, 'inputdataconfig.json'), JSON.stringify(inputConfig));
  await writeFile(join(configDir, 'resourceconfig.json'), JSON.stringify({ current_host: 'algo-1', hosts: ['algo-1'], network_interface_name: 'eth0' }));

  for (const channel of job.InputDataConfig as unknown as ValidatedChannel[]) {
    const uri = channel.DataSource.S3DataSource.S3Uri;
    const objects = await listObjectsUnder(stateDir, uri);
    if (objects.length === 0) {
      throw new Error(`ClientError: no objects found for channel '${channel.ChannelName}' under ${uri}`);
    }
    const channelDir = join(optMl, 'input', 'data', channel.ChannelName);
    for (const object of objects) {
      const target = join(channelDir, ...object.relativePath.split('/'));
      await mkdir(dirname(target), { recursive: true });
      // Hard links cost nothing; a copy covers state directories that span file systems.
      await link(object.path, target).catch(() => copyFile(object.path, target));
    }
  }
}

export async function uploadModel(stateDir: string, optMl: string, artifactUri: string): Promise<void> {
  const modelDir = join(optMl, 'model');
  const files = (await readdir(modelDir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => ({ name: entry.name, path: join(modelDir, entry.name) }));
  if (!files.some((file) => file.name === 'xgboost-model')) throw new Error(`training wrote no xgboost-model into ${modelDir}`);
  const { bucket, key } = parseS3Uri(artifactUri);
  const destination = localObjectPath(stateDir, bucket, key);
  await mkdir(dirname(destination), { recursive: true });
  const temp = `${destination}.tmp-${process.pid}-${Date.now()}`;
  await packModelArchive(files, temp);
  await rename(temp, destination);
}

/** Managed spot: whatever the algorithm left in /opt/ml/checkpoints goes to CheckpointConfig.S3Uri. */
export async function syncCheckpoints(stateDir: string, job: TrainingJobRecord, optMl: string): Promise<void> {
  const uri = job.CheckpointConfig?.S3Uri;
  if (typeof uri !== 'string') return;
  const checkpointDir = join(optMl, 'checkpoints');
  const { bucket, key } = parseS3Uri(uri.endsWith('/') ? uri : `${uri}/`);
  for (const entry of await readdir(checkpointDir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const destination = localObjectPath(stateDir, bucket, `${key}${entry.name}`);
    await mkdir(dirname(destination), { recursive: true });
    await copyFile(join(checkpointDir, entry.name), destination);
  }
}

export async function writeFailureFile(optMl: string, reason: string): Promise<void> {
  await mkdir(join(optMl, 'output'), { recursive: true }).catch(() => undefined);
  await writeFile(join(optMl, 'output', 'failure'), reason).catch(() => undefined);
}

