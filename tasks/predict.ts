/**
 * POST /predict behind API Gateway (REST, Lambda proxy integration): a basket in, label, class
 * probabilities and model version out. The work is tasks/core/predict/predict-basket.ts; this
 * file wires the AWS clients (customer history from the online feature store, the SageMaker
 * endpoint, the DynamoDB inference log) and publishes latency metrics with Powertools.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { CUSTOMER_FEATURE_GROUP, TaskFunction } from '../workflow/resource-names.js';
import { TaskEnv } from '../workflow/task-environment.js';
import { createAwsClient } from './core/shared/aws-clients.js';
import { createTaskObservability } from './core/shared/observability.js';
import { SageMakerEndpointScorer } from './core/predict/basket-scorer.js';
import { CachedCustomerHistory, FeatureStoreCustomerHistory } from './core/predict/customer-history.js';
import { DynamoDbInferenceRecorder } from './core/predict/inference-log.js';
import { predictBasket, type PredictDependencies } from './core/predict/predict-basket.js';
import { lazyTaskEnvironment, nonEmptyString } from './core/shared/task-environment.js';
import { SampledInferenceRecorder } from './core/predict/sampled-recorder.js';
import { referencePricesKey, ServedRunReferencePrices } from './core/predict/reference-prices.js';
import { servedModelRunId } from './core/predict/served-model-run.js';
import { readObjectText } from './core/shared/s3-objects.js';

const { logger, metrics, tracer } = createTaskObservability(TaskFunction.Predict);
const featureStore = createAwsClient('sagemakerfeaturestoreruntime', () => tracer.captureAWSv3Client(new SageMakerFeatureStoreRuntimeClient({})));
const sageMakerRuntime = createAwsClient('sagemakerruntime', () => tracer.captureAWSv3Client(new SageMakerRuntimeClient({})));
const dynamodb = createAwsClient('dynamodb', () => tracer.captureAWSv3Client(new DynamoDBClient({})));
const s3 = createAwsClient('s3', () => tracer.captureAWSv3Client(new S3Client({})));
const sageMaker = createAwsClient('sagemaker', () => tracer.captureAWSv3Client(new SageMakerClient({})));

const environment = lazyTaskEnvironment(
  z.object({
    [TaskEnv.EndpointName]: nonEmptyString,
    [TaskEnv.InferenceTableName]: nonEmptyString,
    [TaskEnv.FeatureGroupName]: z.string().min(1).default(CUSTOMER_FEATURE_GROUP),
    [TaskEnv.InferenceLogSampleRate]: z.coerce.number().gt(0).max(1).default(1),
    // Where the served model's reference prices are: its package names its gold run.
    [TaskEnv.GoldBucket]: nonEmptyString,
  }),
);

let dependencies: PredictDependencies | undefined;

/** Built on first use (not at import) so a bad environment fails the invocation with its message. */
function predictDependencies(): PredictDependencies {
  if (dependencies) return dependencies;
  const env = environment();
  dependencies = {
    // Warm containers reuse recent reads: history changes once per pipeline run, not per minute.
    history: new CachedCustomerHistory(new FeatureStoreCustomerHistory(featureStore, env[TaskEnv.FeatureGroupName]), { ttlMs: 60_000, maxEntries: 50_000 }),
    scorer: new SageMakerEndpointScorer(sageMakerRuntime, { endpointName: env[TaskEnv.EndpointName] }),
    references: new ServedRunReferencePrices({
      // The endpoint's own model, not the newest Approved version (which a rollout may not serve yet).
      servedRunId: async () => (await servedModelRunId(sageMaker, env[TaskEnv.EndpointName])).runId,
      readRunFile: (runId) => readObjectText(s3, env[TaskEnv.GoldBucket], referencePricesKey(runId)),
      ttlMs: 60_000,
    }),
    recorder: new SampledInferenceRecorder(new DynamoDbInferenceRecorder(dynamodb, env[TaskEnv.InferenceTableName]), env[TaskEnv.InferenceLogSampleRate]),
    onRecordError: (error, inferenceId) => {
      logger.error('Inference record not written', { inferenceId, error: error as Error });
      metrics.addMetric('InferenceRecordFailures', MetricUnit.Count, 1);
    },
    onServerError: (error) => logger.error('Predict failed', { error: error as Error }),
  };
  return dependencies;
}

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  try {
    const body = event.body === null || event.body === undefined ? null : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const outcome = await predictBasket(predictDependencies(), body);
    metrics.addMetric('PredictLatency', MetricUnit.Milliseconds, outcome.latencyMs);
    metrics.addMetric(`Predict${Math.floor(outcome.status / 100)}xx`, MetricUnit.Count, 1);
    if (outcome.status >= 400) logger.info('Predict rejected', { status: outcome.status, body: outcome.body });
    return {
      statusCode: outcome.status,
      headers: { 'Content-Type': 'application/json', ...(outcome.modelVersion ? { 'X-Model-Version': outcome.modelVersion } : {}) },
      body: JSON.stringify(outcome.body),
    };
  } finally {
    metrics.publishStoredMetrics();
  }
}
