/**
 * Every configuration variant runs end to end, rollout branch included, with IAM enforced: each
 * variant synthesizes its own template (own grants), and a local success means the variant's roles
 * allow every call the run made. A full run per variant (small data) rather than a replayed first
 * half: the rollout branch reads variables (`$run`, `$model`) that earlier states assign, and the
 * earlier states' grants differ per variant too (e.g. the spot training settings), so a real run is
 * the honest check and costs about as much as the ETL+training it repeats (seconds at this size).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';
import { openLocalPipeline, startLocalExecution } from '../../../local/pipeline-runner/local-pipeline.js';
import type { DeepPartial, PipelineConfig } from '../../../workflow/config.js';

const SMALL: DeepPartial<PipelineConfig> = { thresholds: { accuracy: 0.5, macroF1: 0.45, classPrecision: 0.4 }, dataQuality: { minBaskets: 500 } };

async function runVariant(config: DeepPartial<PipelineConfig>, region?: string) {
  const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-iam-variant-'));
  const saved = process.env.CDK_DEFAULT_REGION;
  if (region) process.env.CDK_DEFAULT_REGION = region;
  try {
    const pipeline = await openLocalPipeline({ stateDir, config: { ...SMALL, ...config } });
    const input = { bucket: pipeline.rawBucket, key: 'raw/week-1.csv' };
    await generateDataset({ rows: 20_000, seed: 7, labelNoise: 0.05, out: localObjectPath(stateDir, input.bucket, input.key) });
    const result = await startLocalExecution(pipeline, { input, executionName: 'iam-variant' });
    return { result, iam: pipeline.iam! };
  } finally {
    if (region) {
      if (saved === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = saved;
    }
  }
}

describe('rollout branches under IAM enforcement', () => {
  it('eks: patches the Deployment through eks:call, authorized by the access entry of the state machine role', async () => {
    const { result, iam } = await runVariant({ deployTarget: 'eks' });

    expect([result.status, result.error, result.cause?.slice(0, 300)]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(result.path).toContain('PatchEksDeployment');
    expect(iam.stats).toMatchObject({ denials: 0 });
  }, 300_000);

  it('serverless endpoint: creates the endpoint without autoscaling', async () => {
    const { result, iam } = await runVariant({ endpoint: { serverless: { memorySizeInMb: 2048, maxConcurrency: 5 } } });

    expect([result.status, result.error, result.cause?.slice(0, 300)]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(result.path).toContain('CreateEndpoint');
    expect(result.path).not.toContain('RegisterScalableTarget');
    expect(iam.stats.denials).toBe(0);
  }, 300_000);

  it('manual approval: registers the model pending approval and rolls nothing out', async () => {
    const { result, iam } = await runVariant({ approvalMode: 'manual' });

    expect([result.status, result.error, result.cause?.slice(0, 300)]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(result.path).toContain('RegisterModel');
    expect(result.path).not.toContain('CreateEndpoint');
    expect(iam.stats.denials).toBe(0);
  }, 300_000);

  it('on-demand training: trains without managed spot and deploys to the endpoint', async () => {
    const { result, iam } = await runVariant({ training: { useSpot: false } });

    expect([result.status, result.error, result.cause?.slice(0, 300)]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(result.path).toEqual(expect.arrayContaining(['TrainModel', 'CreateEndpoint', 'RegisterScalableTarget']));
    expect(iam.stats.denials).toBe(0);
  }, 300_000);

  it('another Region (eu-west-1): the template hard-codes that Region in its grants, and the run is authorized there', async () => {
    const { result, iam } = await runVariant({}, 'eu-west-1');

    expect([result.status, result.error, result.cause?.slice(0, 300)]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(result.path).toContain('CreateEndpoint');
    expect(iam.iam.region).toBe('eu-west-1');
    expect(iam.stats.denials).toBe(0);
  }, 300_000);
});
