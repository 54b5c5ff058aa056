/**
 * IngestFeatures (one Distributed Map batch): writes gold customer-feature files to the feature
 * store and reports every record it could not write.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import type { IngestFeaturesRequest, IngestFeaturesResult } from '../workflow/payloads.js';
import { TaskFunction } from '../workflow/resource-names.js';
import { TaskEnv } from '../workflow/task-environment.js';
import { createAwsClient } from './core/shared/aws-clients.js';
import { FeatureIngestionFailedError } from './core/shared/errors.js';
import { ingestFeatureFiles } from './core/ingest-features/feature-ingestion.js';
import { createTaskObservability } from './core/shared/observability.js';
import { lazyTaskEnvironment, nonEmptyString, positiveIntegerString } from './core/shared/task-environment.js';

const { logger, metrics, tracer } = createTaskObservability(TaskFunction.IngestFeatures);
const s3 = createAwsClient('s3', () => tracer.captureAWSv3Client(new S3Client({})));
// One attempt per SDK call: the ingestion's own backoff decides how often a record is retried.
const featureStore = createAwsClient('sagemakerfeaturestoreruntime', () =>
  tracer.captureAWSv3Client(new SageMakerFeatureStoreRuntimeClient({ maxAttempts: 1 })),
);

const environment = lazyTaskEnvironment(
  z.object({
    [TaskEnv.ArtifactsBucket]: nonEmptyString,
    [TaskEnv.FeatureGroupName]: z.string().optional(),
    [TaskEnv.IngestConcurrency]: positiveIntegerString,
    [TaskEnv.IngestMaxAttempts]: positiveIntegerString,
  }),
);

const requestSchema = z.object({
  featureGroupName: z.string().optional(),
  Items: z.array(z.object({ Key: z.string().min(1), Size: z.number().optional() })),
  BatchInput: z.object({ bucket: z.string().min(1), eventTime: z.string().min(1) }),
});

export async function handler(event: unknown): Promise<IngestFeaturesResult> {
  const env = environment();
  const parsed = requestSchema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ');
    throw new FeatureIngestionFailedError(
      `IngestFeatures expects {"Items": [{"Key": "..."}], "BatchInput": {"bucket": "...", "eventTime": "..."}, "featureGroupName"?: "..."}: ${problems}`,
    );
  }
  const featureGroupName = parsed.data.featureGroupName || env[TaskEnv.FeatureGroupName];
  if (!featureGroupName) {
    throw new FeatureIngestionFailedError('No feature group: set "featureGroupName" in the request or FEATURE_GROUP_NAME in the environment');
  }
  const request: IngestFeaturesRequest = { ...parsed.data, featureGroupName };

  try {
    const result = await ingestFeatureFiles({ s3, featureStore }, request, {
      artifactsBucket: env[TaskEnv.ArtifactsBucket],
      concurrency: env[TaskEnv.IngestConcurrency],
      maxAttempts: env[TaskEnv.IngestMaxAttempts],
    });
    metrics.addMetric('FeatureRecordsWritten', MetricUnit.Count, result.recordsWritten);
    logger.info('Feature files ingested', { ...result });
    return result;
  } catch (error) {
    logger.error('Feature ingestion failed', { error: error as Error });
    throw error;
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
}
