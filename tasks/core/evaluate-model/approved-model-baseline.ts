/**
 * The currently approved model of the package group and its headline metrics, read from the
 * model-quality report its registry entry points to. A new model is compared against it.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, ListModelPackagesCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { parseS3Uri } from '../../../workflow/s3-uri.js';
import type { EvaluateModelResult, ModelMetrics } from '../../../workflow/payloads.js';
import { headlineMetricsOf } from './model-quality-report.js';
import { readObjectText } from '../shared/s3-objects.js';

export type Baseline = NonNullable<EvaluateModelResult['baseline']>;

export interface BaselineLookup {
  baseline: Baseline | null;
  /** Why there is no baseline, when there is none. */
  reason?: string;
}

export async function findApprovedBaseline(sageMaker: SageMakerClient, s3: S3Client, modelPackageGroupName: string): Promise<BaselineLookup> {
  const listed = await sageMaker.send(
    new ListModelPackagesCommand({
      ModelPackageGroupName: modelPackageGroupName,
      ModelApprovalStatus: 'Approved',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    }),
  );
  const newest = listed.ModelPackageSummaryList?.[0];
  if (!newest?.ModelPackageArn) return { baseline: null, reason: `no approved model in ${modelPackageGroupName} yet` };

  const described = await sageMaker.send(new DescribeModelPackageCommand({ ModelPackageName: newest.ModelPackageArn }));
  const statisticsUri = described.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  if (!statisticsUri) return { baseline: null, reason: `approved model ${newest.ModelPackageArn} has no ModelQuality statistics to compare with` };

  const { bucket, key } = parseS3Uri(statisticsUri);
  let report: unknown;
  try {
    report = JSON.parse(await readObjectText(s3, bucket, key));
  } catch (error) {
    return { baseline: null, reason: `cannot read the approved model's report ${statisticsUri}: ${(error as Error).message}` };
  }
  const headline = headlineMetricsOf(report);
  if (!headline) return { baseline: null, reason: `${statisticsUri} has no multiclass_classification_metrics accuracy and macro_f1 values` };
  return { baseline: { modelPackageArn: newest.ModelPackageArn, ...headline } };
}

/** Better macro F1 wins; on equal macro F1, better accuracy. */
export function improvesOn(metrics: ModelMetrics, baseline: Baseline | null): boolean | null {
  if (!baseline) return null;
  if (metrics.macroF1 !== baseline.macroF1) return metrics.macroF1 > baseline.macroF1;
  return metrics.accuracy > baseline.accuracy;
}
