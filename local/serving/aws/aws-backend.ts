/**
 * The EKS container's side of serving (`pricesense serve --aws`), against real AWS with the pod's
 * IRSA role:
 * - model: `xgboost-model` from PRICESENSE_MODEL_DIR (the registry-approved model.tar.gz the init
 *   container extracted), loaded once at start; a rollout replaces the pod, not the model in it;
 * - reference prices: the package (PRICESENSE_MODEL_PACKAGE_ARN) names the model's gold run
 *   (DescribeModelPackage), whose serving/reference_prices.json is read once with S3 GetObject;
 * - customer history: Feature Store GetRecord on the named feature group, behind a TTL cache;
 * - inference log: DynamoDB PutItem to PRICESENSE_INFERENCE_TABLE, written behind (off when empty).
 * Exactly those four calls, which is all the IRSA role (infra/eks/eks-serving-resources.ts) grants.
 * Anything that fails at start fails the start (the pod restarts and says why); /ping answers 200
 * as soon as the server listens, because by then the model is loaded.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { GOLD_FEATURES } from '../../../workflow/gold-features.js';
import { CachedCustomerHistory, FeatureStoreCustomerHistory } from '../../../tasks/core/predict/customer-history.js';
import { DynamoDbInferenceRecorder, type InferenceRecorder } from '../../../tasks/core/predict/inference-log.js';
import { parseReferencePrices, referencePricesKey, ReferencePricesUnavailableError, StaticReferencePrices } from '../../../tasks/core/predict/reference-prices.js';
import { readObjectText } from '../../../tasks/core/shared/s3-objects.js';
import { loadXgboostModel, type XgboostModel } from '../../xgboost/model.js';
import { HISTORY_CACHE_ENTRIES, type ServingBackend } from '../serving-backend.js';
import { startServingServer, type ServingApp } from '../serving-server.js';
import type { AwsServeConfig } from './serve-config.js';
import { describeRegisteredModel, type RegisteredModel } from './registered-model.js';

export interface AwsServeOptions {
  config: AwsServeConfig;
  /** @default '127.0.0.1' (the container passes --host 0.0.0.0) */
  host?: string;
  /** @default 8080 */
  port?: number;
  /** How long a customer's history is reused before GetRecord is called again. @default 30000 */
  historyTtlMs?: number;
  log?(line: string): void;
}

export interface AwsServeApp extends ServingApp {
  /** What /predict and X-Model-Version report. */
  modelVersion: string;
  /** The registry entry of the model, when served through its package. */
  registered?: RegisteredModel;
}

/** The model cannot be served: a bad file, or one trained on other features than /predict computes. */
export class ServedModelFileError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ServedModelFileError';
  }
}

async function loadServedModel(config: AwsServeConfig): Promise<XgboostModel> {
  let model: XgboostModel;
  try {
    model = await loadXgboostModel(config.modelFile);
  } catch (error) {
    throw new ServedModelFileError(`the model in ${config.modelDir} cannot be loaded: ${(error as Error).message}`, error);
  }
  if (model.numFeatures !== GOLD_FEATURES.length) {
    throw new ServedModelFileError(`the model in ${config.modelDir} expects ${model.numFeatures} features, /predict computes ${GOLD_FEATURES.length}: it was trained on a different feature list`);
  }
  return model;
}

/** Inference records one PutItem each: the role grants dynamodb:PutItem, not BatchWriteItem. */
function putItemRecorder(client: DynamoDBClient, tableName: string): InferenceRecorder {
  const table = new DynamoDbInferenceRecorder(client, tableName);
  return { record: (record) => table.record(record) };
}

export async function openAwsBackend(config: AwsServeConfig, historyTtlMs = 30_000): Promise<ServingBackend & { modelVersion: string; registered?: RegisteredModel }> {
  const model = await loadServedModel(config);
  const region = config.region;
  let registered: RegisteredModel | undefined;
  let references;
  let modelVersion: string;
  if (config.referencePricesFile !== undefined) {
    references = new StaticReferencePrices(parseReferencePrices(readFileSync(config.referencePricesFile, 'utf8'), config.referencePricesFile));
    // No registry entry to name it: the file's content names it.
    modelVersion = `sha256:${createHash('sha256').update(readFileSync(config.modelFile)).digest('hex').slice(0, 12)}`;
  } else {
    const sageMaker = new SageMakerClient({ region });
    const s3 = new S3Client({ region });
    try {
      registered = await describeRegisteredModel(sageMaker, config.modelPackageArn!, config.modelDataUrl);
      const key = referencePricesKey(registered.runId);
      let text: string;
      try {
        text = await readObjectText(s3, config.goldBucket!, key);
      } catch (error) {
        throw new ReferencePricesUnavailableError(`reference prices of run ${registered.runId} (s3://${config.goldBucket}/${key}) were not read: ${(error as Error).name}: ${(error as Error).message}`, error);
      }
      references = new StaticReferencePrices(parseReferencePrices(text, `s3://${config.goldBucket}/${key}`));
      modelVersion = registered.version;
    } finally {
      sageMaker.destroy();
      s3.destroy();
    }
  }

  const featureStore = new SageMakerFeatureStoreRuntimeClient({ region });
  const dynamodb = config.inferenceTableName === undefined ? undefined : new DynamoDBClient({ region });
  return {
    modelVersion,
    ...(registered ? { registered } : {}),
    model: {
      noModelMessage: `no model is loaded from ${config.modelDir}`,
      start: async (swap) => swap({ model, version: modelVersion }),
      stop: () => undefined,
    },
    history: new CachedCustomerHistory(new FeatureStoreCustomerHistory(featureStore, config.featureGroupName), { ttlMs: historyTtlMs, maxEntries: HISTORY_CACHE_ENTRIES }),
    references,
    ...(dynamodb ? { inferenceLog: { name: config.inferenceTableName!, target: putItemRecorder(dynamodb, config.inferenceTableName!), batch: 1 } } : {}),
    close: async () => {
      featureStore.destroy();
      dynamodb?.destroy();
    },
  };
}

export async function startAwsServe(options: AwsServeOptions): Promise<AwsServeApp> {
  const log = options.log ?? (() => undefined);
  const { config } = options;
  const backend = await openAwsBackend(config, options.historyTtlMs);
  log(
    `model ${backend.modelVersion} from ${config.modelDir}${backend.registered ? ` (package ${backend.registered.modelPackageArn}, gold run ${backend.registered.runId})` : ` (reference prices ${config.referencePricesFile})`}, ` +
      `feature group ${config.featureGroupName}, inference table ${config.inferenceTableName ?? 'none (the inference log is off)'}, region ${config.region}`,
  );
  const app = await startServingServer(backend, { host: options.host, port: options.port, log });
  return { ...app, modelVersion: backend.modelVersion, ...(backend.registered ? { registered: backend.registered } : {}) };
}
