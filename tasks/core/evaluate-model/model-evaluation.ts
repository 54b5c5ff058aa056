/**
 * The core of EvaluateModel: metrics of the trained model on the held-out test split, the
 * model-quality report written where the registry entry will point, and the comparison with the
 * currently approved model.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { parseS3Uri } from '../../../workflow/s3-uri.js';
import type { EvaluateModelRequest, EvaluateModelResult } from '../../../workflow/payloads.js';
import { findApprovedBaseline, improvesOn } from './approved-model-baseline.js';
import { bootstrapStandardDeviations, classificationMetrics, metricIntervals95 } from './classification-metrics.js';
import { readEvaluationRows } from './evaluation-inputs.js';
import { buildModelQualityReport, type ModelQualityReport } from './model-quality-report.js';

/** Enough resamples for a stable standard deviation; the cost is linear in test rows. */
const BOOTSTRAP = { resamples: 30, seed: 20260101 } as const;

export interface EvaluationOutcome {
  result: EvaluateModelResult;
  report: ModelQualityReport;
  /** Why there is no baseline, when there is none. */
  baselineNote?: string;
}

export async function evaluateModel(
  clients: { s3: S3Client; sageMaker: SageMakerClient },
  request: EvaluateModelRequest,
  now: () => Date = () => new Date(),
): Promise<EvaluationOutcome> {
  const rows = await readEvaluationRows(clients.s3, request.labelsUri, request.predictionsUri);
  const pointMetrics = classificationMetrics(rows.actual, rows.predicted);
  const standardDeviations = bootstrapStandardDeviations(rows.actual, rows.predicted, BOOTSTRAP);
  const metrics = { ...pointMetrics, intervals95: metricIntervals95(pointMetrics, standardDeviations) };
  const lookup = await findApprovedBaseline(clients.sageMaker, clients.s3, request.modelPackageGroupName);
  const improvesOnBaseline = improvesOn(metrics, lookup.baseline);

  const report = buildModelQualityReport({
    runId: request.runId,
    metrics,
    standardDeviations,
    baseline: lookup.baseline,
    improvesOnBaseline,
    evaluatedAt: now(),
  });
  const { bucket, key } = parseS3Uri(request.reportUri);
  await clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${JSON.stringify(report, null, 2)}\n`, ContentType: 'application/json' }),
  );
  return {
    result: { metrics, reportUri: request.reportUri, baseline: lookup.baseline, improvesOnBaseline },
    report,
    ...(lookup.reason ? { baselineNote: lookup.reason } : {}),
  };
}
