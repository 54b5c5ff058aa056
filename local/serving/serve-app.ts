/**
 * `pricesense serve` as a library: one HTTP server (127.0.0.1 by default) with the SageMaker
 * container contract (`/ping`, `/invocations`) for the model the local endpoint record says is
 * live, `/predict` (the same core as the API Lambda, scoring in-process) and `/metrics`
 * (Prometheus). Customer history comes from the local feature store through the AWS SDK (with a
 * TTL cache), inference records go to the local DynamoDB table through the SDK, written behind.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { DEFAULT_CONFIG } from '../../workflow/config.js';
import { CUSTOMER_FEATURE_GROUP } from '../../workflow/resource-names.js';
import { openLocalBackend } from '../backend/open-local-backend.js';
import { routeClient } from '../aws/sdk-routing.js';
import { CachedCustomerHistory, FeatureStoreCustomerHistory } from '../../tasks/core/predict/customer-history.js';
import { DynamoDbInferenceRecorder } from '../../tasks/core/predict/inference-log.js';
import type { PredictDependencies } from '../../tasks/core/predict/predict-basket.js';
import { ensureCustomerFeatureGroup } from './customer-feature-group.js';
import { followEndpoint, type EndpointFollower } from './endpoint-follower.js';
import { InProcessScorer } from './in-process-scorer.js';
import { referencePricesKey, ServedRunReferencePrices, type ReferencePriceSource } from '../../tasks/core/predict/reference-prices.js';
import { ModelRegistry } from '../aws/sagemaker/model-packages.js';
import { readEndpointRecord } from '../aws/sagemaker/endpoints.js';
import { localObjectPath } from '../aws/s3-location.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_RESOURCES_FILE, readLocalResources } from './local-resources.js';
import { startModelServer, type ModelServer } from './model-server.js';
import { predictRoute } from './predict-route.js';
import { ROUTES, ServingMetrics, type MetricRoute } from './serving-metrics.js';
import { WriteBehindRecorder } from './write-behind-recorder.js';

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

export interface ServeApp {
  url: string;
  port: number;
  server: ModelServer;
  metrics: ServingMetrics;
  recorder: WriteBehindRecorder;
  follower: EndpointFollower;
  close(): Promise<void>;
}

/** Customers whose history is kept in memory (~1 KB each): bounds the cache on a large customer base. */
const HISTORY_CACHE_ENTRIES = 20_000;

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A log line at most once per `intervalMs` (the first one at once), so a failing disk cannot flood the log. */
function throttled<A extends unknown[]>(log: (line: string) => void, intervalMs: number, line: (...args: A) => string): (...args: A) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (...args: A) => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    last = now;
    log(line(...args));
  };
}

export async function startServe(options: ServeOptions): Promise<ServeApp> {
  const log = options.log ?? (() => undefined);
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

  const metrics = new ServingMetrics();
  // 2,000 queued records (~5 MB) cover a fraction of a second at full load: past that, backpressure.
  const recorder = new WriteBehindRecorder(new DynamoDbInferenceRecorder(dynamodbClient, tableName), {
    maxQueued: 2000,
    writers: 16,
    onError: throttled(log, 10_000, (error: unknown, records: number) => `${records} inference records not written to ${tableName}: ${(error as Error).message}`),
    onDrop: throttled(log, 10_000, (total: number) => `inference log overloaded: ${total} records dropped so far (the table did not take writes for 5 s; see pricesense_inference_records_dropped_total)`),
  });
  let server: ModelServer | undefined;
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
    readRunFile: async (runId) => {
      const key = referencePricesKey(runId);
      for (const bucket of readdirSync(join(options.stateDir, 's3'))) {
        const path = localObjectPath(options.stateDir, bucket, key);
        if (existsSync(path)) return readFileSync(path, 'utf8');
      }
      throw new Error(`no bucket under ${join(options.stateDir, 's3')} holds ${key}`);
    },
    ttlMs: 1000,
  });
  const deps: PredictDependencies = {
    references,
    history: new CachedCustomerHistory(new FeatureStoreCustomerHistory(featureClient, featureGroupName), { ttlMs: options.historyTtlMs ?? 30_000, maxEntries: HISTORY_CACHE_ENTRIES }),
    scorer: new InProcessScorer(() => server?.currentModel()),
    recorder,
    onServerError: (error) => log(`/predict: ${(error as Error).message}`),
  };
  const knownRoutes = new Set<string>(ROUTES);
  server = await startModelServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 8080,
    routes: {
      '/predict': predictRoute(deps),
      '/metrics': (_req, res) => {
        const text = metrics.render();
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      },
    },
    onResponse: (path, status, seconds) => metrics.observe((knownRoutes.has(path) ? path : 'other') as MetricRoute, status, seconds),
  });
  const modelServer = server;
  metrics.setExtra(() => {
    const stats = recorder.stats();
    return {
      pricesense_inference_records_written_total: stats.written,
      pricesense_inference_records_failed_total: stats.failed,
      pricesense_inference_records_dropped_total: stats.dropped,
      pricesense_inference_records_queued: stats.queued,
      pricesense_inference_records_waiting: stats.waiting,
      pricesense_inference_records_backpressured_total: stats.backpressured,
    };
  });

  const follower = followEndpoint({
    stateDir: options.stateDir,
    endpointName,
    pollMs: options.pollMs,
    swap: (next) => {
      modelServer.swapModel(next);
      metrics.setModelVersion(next.version);
    },
    onSwap: (live) => log(`serving model ${live.ModelVersion} (${live.ModelDataUrl})`),
    onError: (message) => log(message),
  });
  await follower.check();
  if (!modelServer.currentModel()) log(`endpoint ${endpointName} has no live model yet in ${options.stateDir}: /ping answers 503 until a rollout`);

  return {
    url: modelServer.url,
    port: modelServer.port,
    server: modelServer,
    metrics,
    recorder,
    follower,
    close: async () => {
      follower.stop();
      await modelServer.close();
      await recorder.flush();
      const stats = recorder.stats();
      if (stats.dropped > 0 || stats.failed > 0) log(`inference log: ${stats.written} records written, ${stats.failed} failed, ${stats.dropped} dropped`);
    },
  };
}
