/**
 * DetectDrift (EventBridge schedule): compares the feature distribution of recent /predict calls
 * (the DynamoDB inference log) with the training split of the served model and publishes the
 * population stability index per feature (`FeaturePsi`, dimension `feature`) and the maximum
 * (`MaxFeaturePsi`), which the drift alarm watches (> 0.2).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { TaskFunction } from '../workflow/resource-names.js';
import { TaskEnv } from '../workflow/task-environment.js';
import { createAwsClient } from './core/shared/aws-clients.js';
import { approvedModelRunId, loadTrainingBaseline, NoApprovedModelError } from './core/drift/baseline-source.js';
import { measureDrift, type DriftReport } from './core/drift/drift-report.js';
import { DriftMetric } from './core/drift/drift-metric-names.js';
import { readInferenceWindow } from './core/drift/inference-log.js';
import { createTaskObservability } from './core/shared/observability.js';
import { lazyTaskEnvironment, nonEmptyString, positiveIntegerString } from './core/shared/task-environment.js';

const { logger, metrics, tracer } = createTaskObservability(TaskFunction.DetectDrift);
const s3 = createAwsClient('s3', () => tracer.captureAWSv3Client(new S3Client({})));
const sageMaker = createAwsClient('sagemaker', () => tracer.captureAWSv3Client(new SageMakerClient({})));
const dynamoDb = createAwsClient('dynamodb', () => tracer.captureAWSv3Client(new DynamoDBClient({})));

const environment = lazyTaskEnvironment(
  z.object({
    [TaskEnv.GoldBucket]: nonEmptyString,
    [TaskEnv.ArtifactsBucket]: nonEmptyString,
    [TaskEnv.InferenceTableName]: nonEmptyString,
    [TaskEnv.ModelPackageGroupName]: nonEmptyString,
    [TaskEnv.DriftWindowHours]: positiveIntegerString.default(24),
    [TaskEnv.DriftMinSamples]: positiveIntegerString.default(500),
  }),
);

/** A manual invocation may pin the run and the window; the schedule's event carries `time`. */
const eventSchema = z
  .object({
    runId: z.string().min(1, 'expected a run id such as "weekly-2024-01-07"').optional(),
    windowHours: z.number().int('expected a whole number of hours').positive('expected a positive number of hours').optional(),
    time: z.string().optional(),
  })
  .passthrough();

export type DetectDriftResult = DriftReport | { status: 'no-approved-model'; reason: string };

export async function handler(event: unknown): Promise<DetectDriftResult> {
  const env = environment();
  const parsed = eventSchema.safeParse(event ?? {});
  if (!parsed.success) {
    throw new Error(`DetectDrift event: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ')}`);
  }
  const untilMs = parsed.data.time && !Number.isNaN(Date.parse(parsed.data.time)) ? Date.parse(parsed.data.time) : Date.now();
  const windowHours = parsed.data.windowHours ?? env[TaskEnv.DriftWindowHours];
  try {
    const runId = parsed.data.runId ?? (await approvedModelRunId(sageMaker, env[TaskEnv.ModelPackageGroupName])).runId;
    logger.appendKeys({ runId });
    const baseline = await loadTrainingBaseline(s3, { gold: env[TaskEnv.GoldBucket], artifacts: env[TaskEnv.ArtifactsBucket] }, runId);
    const window = { sinceMs: untilMs - windowHours * 3_600_000, untilMs };
    const inferences = await readInferenceWindow(dynamoDb, env[TaskEnv.InferenceTableName], baseline.features.map((f) => f.name), window);
    const report = measureDrift(baseline, inferences.rows, env[TaskEnv.DriftMinSamples]);
    metrics.addMetric(DriftMetric.Samples, MetricUnit.Count, inferences.rows.length);
    if (report.status === 'measured') {
      metrics.addMetric(DriftMetric.MaxPsi, MetricUnit.NoUnit, report.maxPsi);
      for (const { feature, psi } of report.features) {
        const single = metrics.singleMetric();
        single.addDimension(DriftMetric.FeatureDimension, feature);
        single.addMetric(DriftMetric.FeaturePsi, MetricUnit.NoUnit, psi);
      }
      logger.info('Drift measured', { samples: report.samples, maxPsi: report.maxPsi, maxPsiFeature: report.maxPsiFeature, drifted: report.drifted, unreadable: inferences.unreadable });
    } else {
      logger.info('Too few inferences to measure drift', { samples: report.samples, minSamples: report.minSamples, scanned: inferences.scanned });
    }
    return report;
  } catch (error) {
    if (error instanceof NoApprovedModelError) {
      logger.info(error.message);
      return { status: 'no-approved-model', reason: error.message };
    }
    logger.error('Drift check failed', { error: error as Error });
    throw error;
  } finally {
    metrics.publishStoredMetrics();
    logger.removeKeys(['runId']);
  }
}
