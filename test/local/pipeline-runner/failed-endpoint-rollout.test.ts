/**
 * Issue 14 case 2, end to end: an endpoint left Failed (by a run killed during CreateEndpoint, or
 * a create that failed) is deleted and created again by the next run's rollout, which ends
 * InService serving that run's model with exactly one new registered version. Before, the run
 * failed at UpdateEndpoint ("Cannot update endpoint ... because it is Failed") after registering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { endpointStore, readEndpointRecord } from '../../../local/aws/sagemaker/endpoints.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';
import { openLocalPipeline, startLocalExecution, type LocalPipeline } from '../../../local/pipeline-runner/local-pipeline.js';
import { DEFAULT_CONFIG } from '../../../workflow/config.js';

const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-failed-endpoint-'));
let pipeline: LocalPipeline;

async function staged(key: string, seed: number) {
  await generateDataset({ rows: 5_000, seed, labelNoise: 0.05, out: localObjectPath(stateDir, pipeline.rawBucket, key) });
  return { bucket: pipeline.rawBucket, key };
}

async function approvedVersions(): Promise<number[]> {
  const listed = (await pipeline.localAws.call('sagemaker', 'ListModelPackages', { ModelPackageGroupName: DEFAULT_CONFIG.modelPackageGroupName })) as {
    ModelPackageSummaryList: Array<{ ModelPackageVersion: number; ModelApprovalStatus: string }>;
  };
  return listed.ModelPackageSummaryList.filter((p) => p.ModelApprovalStatus === 'Approved').map((p) => p.ModelPackageVersion).sort();
}

beforeAll(async () => {
  pipeline = await openLocalPipeline({ stateDir, config: { thresholds: { accuracy: 0.5, macroF1: 0.45, classPrecision: 0.4 }, dataQuality: { minBaskets: 200 } } });
}, 180_000);
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('a Failed endpoint is deleted and created again by the rollout', () => {
  it('ends InService serving the new version, with exactly one new model version', async () => {
    const first = await startLocalExecution(pipeline, { input: await staged('raw/week-1.csv', 7), executionName: 'deploys-v1' });
    expect([first.status, await approvedVersions()]).toEqual(['SUCCEEDED', [1]]);
    // What a kill during CreateEndpoint (or a create that failed) leaves behind.
    await endpointStore(stateDir).update(DEFAULT_CONFIG.endpointName, (current) => {
      const { Live: _live, ...rest } = current;
      return { ...rest, EndpointStatus: 'Failed', FailureReason: 'The model could not be loaded', ProductionVariants: [] };
    });

    const second = await startLocalExecution(pipeline, { input: await staged('raw/week-2.csv', 9), executionName: 'after-failed' });

    expect([second.status, second.error]).toEqual(['SUCCEEDED', undefined]);
    expect(second.path).toEqual(expect.arrayContaining(['IsEndpointFailed', 'DeleteFailedEndpoint', 'DescribeDeletingEndpoint', 'CreateEndpoint']));
    expect(second.path).not.toContain('UpdateEndpoint');
    expect(await approvedVersions()).toEqual([1, 2]);
    const endpoint = readEndpointRecord(stateDir, DEFAULT_CONFIG.endpointName);
    expect(endpoint).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: expect.stringContaining('after-failed') });
    expect(endpoint?.FailureReason).toBeUndefined();
    expect(endpoint?.Live).toMatchObject({ ModelName: 'ps-serve-after-failed', ModelPackageVersion: 2 });
    // IAM is enforced from the template: DeleteEndpoint is granted.
    expect(pipeline.iam?.stats.denials).toBe(0);
  }, 480_000);
});
