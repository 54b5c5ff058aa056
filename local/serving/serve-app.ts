/**
 * `pricesense serve` on the local twin, as a library: the serving server (serving-server.ts:
 * `/ping`, `/invocations`, `/predict`, `/metrics` on 127.0.0.1 by default) over the local backend
 * (openLocalBackend): the model the local endpoint record says is live, followed through
 * rollouts; customer history from the local feature store through the AWS SDK (with a TTL
 * cache); inference records to the local DynamoDB table through the SDK, written behind.
 * The EKS container's backend is aws/aws-backend.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { DEFAULT_CONFIG } from '../../workflow/config.js';
import { CUSTOMER_FEATURE_GROUP } from '../../workflow/resource-names.js';
import { openLocalBackend } from '../backend/open-local-backend.js';
import { routeClient } from '../aws/sdk-routing.js';
import { CachedCustomerHistory, FeatureStoreCustomerHistory } from '../../tasks/core/predict/customer-history.js';
import { DynamoDbInferenceRecorder } from '../../tasks/core/predict/inference-log.js';
import { ensureCustomerFeatureGroup } from './customer-feature-group.js';
import { followEndpoint, type EndpointFollower } from './endpoint-follower.js';
import { referencePricesKey, ServedRunReferencePrices, type ReferencePriceSource } from '../../tasks/core/predict/reference-prices.js';
import { ModelRegistry } from '../aws/sagemaker/model-packages.js';
import { readEndpointRecord } from '../aws/sagemaker/endpoints.js';
import { AwsServiceError } from '../aws/emulator.js';
import { bodyToBytes } from '../aws/sdk-stream.js';
import { LOCAL_RESOURCES_FILE, readLocalResources } from './local-resources.js';
import { HISTORY_CACHE_ENTRIES, type ModelSource, type ServingBackend } from './serving-backend.js';
import { startServingServer, type ServingApp } from './serving-server.js';
import type { WriteBehindRecorder } from './write-behind-recorder.js';

/** The inference table `serve` writes when none is named (created on first start). */
export const DEFAULT_INFERENCE_TABLE = 'pricesense-inference-log';

export interface ServeOptions {
  stateDir: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 8080 (the SageMaker container port); 0 picks a free port */
  port?: number;
  /** @default DEFAULT_CONFIG.endpointName */
  endpointName?: string;
  /** @default CUSTOMER_FEATURE_GROUP */
  featureGroupName?: string;
  /** @default DEFAULT_INFERENCE_TABLE */
  inferenceTableName?: string;
  /** How often the endpoint record is checked for a rollout. @default 1000 */
  pollMs?: number;
  /** How long a customer's history is reused before the store is read again. @default 30000 */
  historyTtlMs?: number;
  /**
   * Reference prices for the relative-price features. @default those of the gold run named by the
   * live model's package (CustomerMetadataProperties.runId), as on AWS; a model deployed without
   * a registered package has none and /predict answers 503 until one is given here.
   */
  referencePrices?: ReferencePriceSource;
  log?(line: string): void;
}

export interface ServeApp extends ServingApp {
  recorder: WriteBehindRecorder;
  follower: EndpointFollower;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * The local twin's side of serving: the emulators (feature store, DynamoDB) behind SDK clients,
 * the feature group and table created when missing, the endpoint record followed for the model,
 * and the served model's reference prices from the local registry and S3 folders.
 */
export async function openLocalServingBackend(options: ServeOptions, log: (line: string) => void): Promise<ServingBackend & { follower: EndpointFollower }> {
  // Flags first, then what `pricesense run` deployed in this state directory, then the defaults.
  const deployed = readLocalResources(options.stateDir) ?? {};
  const endpointName = options.endpointName ?? deployed.endpointName ?? DEFAULT_CONFIG.endpointName;
  const featureGroupName = options.featureGroupName ?? deployed.featureGroupName ?? CUSTOMER_FEATURE_GROUP;
  const tableName = options.inferenceTableName ?? deployed.inferenceTableName ?? DEFAULT_INFERENCE_TABLE;
  log(`endpoint ${endpointName}, feature group ${featureGroupName}, inference table ${tableName}${Object.keys(deployed).length > 0 ? ` (from ${LOCAL_RESOURCES_FILE} where no flag names them)` : ''}`);

  // The one door to the local backend (local/backend); serve routes only its own clients.
  const { aws: localAws, handles: { featureStore, dynamodb } } = await openLocalBackend({ stateDir: options.stateDir, routeSdkClients: false });
  const featureClient = new SageMakerFeatureStoreRuntimeClient({ region: 'us-east-1', credentials: CREDENTIALS });
  const dynamodbClient = new DynamoDBClient({ region: 'us-east-1', credentials: CREDENTIALS });
  routeClient(featureClient, 'sagemakerfeaturestoreruntime', () => localAws);
  routeClient(dynamodbClient, 'dynamodb', () => localAws);

  if (await ensureCustomerFeatureGroup(featureStore.groups, featureGroupName)) {
    log(`feature group ${featureGroupName} did not exist: created it empty, so customers get the no-history features until the pipeline ingests`);
  }
  if (!(await dynamodb.tableExists(tableName))) {
    await dynamodb.createTable({ TableName: tableName, KeySchema: [{ AttributeName: 'inferenceId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'inferenceId', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    log(`created the local inference table ${tableName}`);
  }

  const registry = new ModelRegistry(options.stateDir);
  const references = options.referencePrices ?? new ServedRunReferencePrices({
    // The live model's package names its gold run, as on AWS (tasks/core/predict/reference-prices.ts).
    servedRunId: async () => {
      const live = readEndpointRecord(options.stateDir, endpointName)?.Live;
      if (!live?.ModelPackageArn) throw new Error(`endpoint ${endpointName} serves no registered model version`);
      const runId = (await registry.findByArn(live.ModelPackageArn))?.CustomerMetadataProperties?.runId;
      if (!runId) throw new Error(`model package ${live.ModelPackageArn} names no runId`);
      return runId;
    },
    // Asked through the local S3's API (the gold bucket's name is the template's, so every bucket is tried).
    readRunFile: async (runId) => {
      const key = referencePricesKey(runId);
      const { Buckets = [] } = (await localAws.call('s3', 'ListBuckets', {})) as { Buckets?: Array<{ Name: string }> };
      for (const { Name } of Buckets) {
        try {
          const { Body } = (await localAws.call('s3', 'GetObject', { Bucket: Name, Key: key })) as { Body?: unknown };
          return (await bodyToBytes(Body)).toString('utf8');
        } catch (error) {
          if (!(error instanceof AwsServiceError && error.name === 'NoSuchKey')) throw error;
        }
      }
      throw new Error(`no local bucket holds ${key}`);
    },
    ttlMs: 1000,
  });

  let follower: EndpointFollower | undefined;
  const model: ModelSource = {
    noModelMessage: 'no model is deployed to the local endpoint yet: run the pipeline (pricesense run) with rollout to the endpoint',
    async start(swap) {
      let swapped = false;
      follower = followEndpoint({
        stateDir: options.stateDir,
        endpointName,
        pollMs: options.pollMs,
        swap: (next) => {
          swapped = true;
          swap(next);
        },
        onSwap: (live) => log(`serving model ${live.ModelVersion} (${live.ModelDataUrl})`),
        onError: (message) => log(message),
      });
      await follower.check();
      if (!swapped) log(`endpoint ${endpointName} has no live model yet in ${options.stateDir}: /ping answers 503 until a rollout`);
    },
    stop: () => follower?.stop(),
  };
  return {
    model,
    history: new CachedCustomerHistory(new FeatureStoreCustomerHistory(featureClient, featureGroupName), { ttlMs: options.historyTtlMs ?? 30_000, maxEntries: HISTORY_CACHE_ENTRIES }),
    references,
    inferenceLog: { name: tableName, target: new DynamoDbInferenceRecorder(dynamodbClient, tableName), batch: 25 },
    get follower() {
      if (!follower) throw new Error('the endpoint is followed once the server has started');
      return follower;
    },
  };
}

export async function startServe(options: ServeOptions): Promise<ServeApp> {
  const log = options.log ?? (() => undefined);
  const backend = await openLocalServingBackend(options, log);
  const app = await startServingServer(backend, { host: options.host, port: options.port, log });
  return { ...app, recorder: app.recorder!, follower: backend.follower };
}
