/**
 * A tuning job's trials run as TrainingJobDefinition.RoleArn. When that role may not read the gold
 * zone, every trial fails on AWS and so does the tuning job: the run fails at TuneModel with
 * States.TaskFailed and the DescribeHyperParameterTuningJob output (status Failed, the denial in
 * FailureReason) as the cause, and no trial ever trains.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { localObjectPath } from '../../../local/aws/s3-location.js';
import { generateDataset } from '../../../local/generator/generate-dataset.js';
import { openLocalPipeline, startLocalExecution } from '../../../local/pipeline-runner/local-pipeline.js';
import { cachedSynthesis } from '../../../local/backend/synthesis-cache.js';
import type { DeepPartial, PipelineConfig } from '../../../workflow/config.js';

const CONFIG: DeepPartial<PipelineConfig> = {
  thresholds: { accuracy: 0.5, macroF1: 0.45, classPrecision: 0.4 },
  dataQuality: { minBaskets: 500 },
  training: { tuning: { enabled: true, maxNumberOfTrainingJobs: 2, maxParallelTrainingJobs: 2 } },
};
const stateDir = mkdtempSync(join(tmpdir(), 'pricesense-iam-tuning-'));
let template: { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
let input: { bucket: string; key: string };

beforeAll(async () => {
  const synthesized = await cachedSynthesis(CONFIG);
  template = structuredClone(synthesized.templates[synthesized.stackName]) as typeof template;
  let removed = 0;
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!/^AWS::IAM::(Policy|ManagedPolicy)$/.test(resource.Type) || !/^SageMakerExecutionRoleDefaultPolicy/.test(logicalId)) continue;
    const statements = resource.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>;
    const kept = statements.filter((statement) => !([statement.Action].flat().includes('s3:GetObject*') && JSON.stringify(statement.Resource).includes('GoldBucket')));
    removed += statements.length - kept.length;
    resource.Properties.PolicyDocument.Statement = kept;
  }
  if (removed === 0) throw new Error('the variant removed no gold read from the SageMaker role');
  const pipeline = await openLocalPipeline({ stateDir, config: CONFIG });
  input = { bucket: pipeline.rawBucket, key: 'raw/week-1.csv' };
  await generateDataset({ rows: 20_000, seed: 7, labelNoise: 0.05, out: localObjectPath(stateDir, input.bucket, input.key) });
}, 180_000);

describe('a tuned run whose SageMaker role may not read gold', () => {
  it('fails at TuneModel with the tuning job Failed and the trials\' denial as its reason', async () => {
    const pipeline = await openLocalPipeline({ stateDir, config: CONFIG, template });
    const result = await startLocalExecution(pipeline, { input, executionName: 'iam-tuning-role' });

    expect(result.status).toBe('FAILED');
    expect(result.path.filter((state) => state !== 'IngestFeatureFile').slice(-4)).toEqual(['TuneModel', 'TrainingBranchFailed', 'NotifyFailure', 'PipelineFailed']);
    const events = result.history as unknown as Array<{ type: string; taskFailedEventDetails?: { error: string; cause: string } }>;
    const failed = events.find((event) => event.type === 'TaskFailed')!.taskFailedEventDetails!;
    expect(failed.error).toBe('States.TaskFailed');
    const job = JSON.parse(failed.cause) as { HyperParameterTuningJobStatus: string; FailureReason: string };
    expect(job.HyperParameterTuningJobStatus).toBe('Failed');
    expect(job.FailureReason).toMatch(/ClientError: Data download failed: User: arn:aws:sts::000000000000:assumed-role\/sagemakerexecutionrole\w+\/SageMaker is not authorized to perform: s3:(ListBucket|GetObject) on resource: arn:aws:s3:::goldbucket/);
  }, 240_000);
});
