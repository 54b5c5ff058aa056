/**
 * Finds the training distribution of the model being served: the newest Approved version in the
 * model package group names its run (CustomerMetadataProperties.runId, set by RegisterModel), whose
 * gold train CSV is sampled into a baseline. The baseline is cached in the artifacts bucket under
 * drift/baseline/run_id=<runId>.json so later checks skip the CSV.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, ListModelPackagesCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { goldPaths } from '../../../workflow/s3-layout.js';
import { isNotFoundError, listKeys, readObjectText } from '../shared/s3-objects.js';
import { buildTrainingBaseline, parseTrainingLine, RowReservoir, type TrainingBaseline } from './training-baseline.js';

export const BASELINE_SAMPLE_ROWS = 200_000;

export function baselineCacheKey(runId: string): string {
  return `drift/baseline/run_id=${runId}.json`;
}

export class NoApprovedModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoApprovedModelError';
  }
}

/** Run id of the newest Approved model version in the group. */
export async function approvedModelRunId(sageMaker: SageMakerClient, modelPackageGroupName: string): Promise<{ runId: string; modelPackageArn: string }> {
  const listed = await sageMaker.send(
    new ListModelPackagesCommand({ ModelPackageGroupName: modelPackageGroupName, ModelApprovalStatus: 'Approved', SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 1 }),
  );
  const arn = listed.ModelPackageSummaryList?.[0]?.ModelPackageArn;
  if (!arn) throw new NoApprovedModelError(`Model package group ${modelPackageGroupName} has no Approved version yet: nothing is served, so there is no drift to measure`);
  const described = await sageMaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  const runId = described.CustomerMetadataProperties?.runId;
  if (!runId) throw new NoApprovedModelError(`Model package ${arn} has no CustomerMetadataProperties.runId: it was not registered by the pricesense pipeline`);
  return { runId, modelPackageArn: arn };
}

export async function readFeatureList(s3: S3Client, goldBucket: string, runId: string): Promise<string[]> {
  const key = `${goldPaths(runId).serving}feature_list.json`;
  const parsed: unknown = JSON.parse(await readObjectText(s3, goldBucket, key));
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((name) => typeof name === 'string')) {
    throw new Error(`s3://${goldBucket}/${key} must be a non-empty JSON array of feature names, got ${JSON.stringify(parsed).slice(0, 200)}`);
  }
  return parsed as string[];
}

/** Streams every train CSV part of the run through a reservoir and fits the baseline. */
export async function computeTrainingBaseline(s3: S3Client, goldBucket: string, runId: string, sampleRows = BASELINE_SAMPLE_ROWS): Promise<TrainingBaseline> {
  const featureNames = await readFeatureList(s3, goldBucket, runId);
  const prefix = goldPaths(runId).train;
  const keys = (await listKeys(s3, goldBucket, prefix)).filter((key) => !key.endsWith('/'));
  if (keys.length === 0) throw new Error(`No training CSV under s3://${goldBucket}/${prefix}: run ${runId} has no gold train split`);
  const reservoir = new RowReservoir(sampleRows);
  for (const key of keys) {
    const response = await s3.send(new GetObjectCommand({ Bucket: goldBucket, Key: key }));
    if (!response.Body) continue;
    const decoder = new TextDecoder('utf-8');
    let pending = '';
    let lineNumber = 0;
    for await (const chunk of response.Body as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        lineNumber += 1;
        const row = parseTrainingLine(line, featureNames.length, lineNumber);
        if (row) reservoir.add(row);
      }
    }
    pending += decoder.decode();
    const last = parseTrainingLine(pending, featureNames.length, lineNumber + 1);
    if (last) reservoir.add(last);
  }
  return buildTrainingBaseline(runId, featureNames, reservoir);
}

/** The cached baseline of the run, computed and cached on first use. */
export async function loadTrainingBaseline(s3: S3Client, buckets: { gold: string; artifacts: string }, runId: string): Promise<TrainingBaseline> {
  const cacheKey = baselineCacheKey(runId);
  try {
    return JSON.parse(await readObjectText(s3, buckets.artifacts, cacheKey)) as TrainingBaseline;
  } catch (error) {
    if (!isNotFoundError(error)) throw error;
  }
  const baseline = await computeTrainingBaseline(s3, buckets.gold, runId);
  await s3.send(new PutObjectCommand({ Bucket: buckets.artifacts, Key: cacheKey, Body: JSON.stringify(baseline), ContentType: 'application/json' }));
  return baseline;
}
