/**
 * EvaluateModel: scores the batch-transform predictions of the test split against its labels,
 * writes the model-quality report, compares with the approved model and publishes the metrics
 * the metric gate is about.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { LABELS } from '../workflow/dataset-schema.js';
import type { EvaluateModelRequest, EvaluateModelResult } from '../workflow/payloads.js';
import { TaskFunction } from '../workflow/resource-names.js';
import { createAwsClient } from './core/shared/aws-clients.js';
import { asRetriableWhenTransient, EvaluationInputMismatchError } from './core/shared/errors.js';
import { EvaluationMetric, classPrecisionMetric } from './core/evaluate-model/evaluation-metric-names.js';
import { evaluateModel } from './core/evaluate-model/model-evaluation.js';
import { createTaskObservability } from './core/shared/observability.js';
import { isThrottlingOrServerError } from './core/shared/retry-with-backoff.js';

const { logger, metrics, tracer } = createTaskObservability(TaskFunction.EvaluateModel);
const s3 = createAwsClient('s3', () => tracer.captureAWSv3Client(new S3Client({})));
const sageMaker = createAwsClient('sagemaker', () => tracer.captureAWSv3Client(new SageMakerClient({})));

const s3UriSchema = z.string().regex(/^s3:\/\/[^/]+\//, 'expected an S3 URI like s3://bucket/key');
const requestSchema = z.object({
  runId: z.string().min(1),
  labelsUri: s3UriSchema,
  predictionsUri: s3UriSchema,
  reportUri: s3UriSchema.refine((uri) => !uri.endsWith('/'), 'expected the URI of a JSON object, not a prefix'),
  modelPackageGroupName: z.string().min(1),
}) satisfies z.ZodType<EvaluateModelRequest>;

export async function handler(event: unknown): Promise<EvaluateModelResult> {
  const parsed = requestSchema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ');
    throw new EvaluationInputMismatchError(
      `EvaluateModel expects {runId, labelsUri, predictionsUri, reportUri, modelPackageGroupName}: ${problems}`,
    );
  }
  const request = parsed.data;
  logger.appendKeys({ runId: request.runId });
  try {
    const outcome = await evaluateModel({ s3, sageMaker }, request);
    const { metrics: modelMetrics } = outcome.result;
    metrics.addMetric(EvaluationMetric.Accuracy, MetricUnit.NoUnit, modelMetrics.accuracy);
    metrics.addMetric(EvaluationMetric.MacroF1, MetricUnit.NoUnit, modelMetrics.macroF1);
    for (const label of LABELS) metrics.addMetric(classPrecisionMetric(label), MetricUnit.NoUnit, modelMetrics.precision[label]);
    if (outcome.baselineNote) logger.info(`No baseline comparison: ${outcome.baselineNote}`);
    logger.info('Model evaluated', { accuracy: modelMetrics.accuracy, macroF1: modelMetrics.macroF1, improvesOnBaseline: outcome.result.improvesOnBaseline });
    return outcome.result;
  } catch (error) {
    logger.error('Evaluation failed', { error: error as Error });
    throw asRetriableWhenTransient(error, isThrottlingOrServerError);
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    logger.removeKeys(['runId']);
  }
}
