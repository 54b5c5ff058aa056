import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineDefinition, runWorkflow } from '../support/workflow-test.js';

const mockConfig = join(import.meta.dirname, '..', 'fixtures', 'pipeline-mock-config.json');
const input = { bucket: 'pricesense-raw', key: 'raw/transactions.csv' };
const eksConfig = {
  deployTarget: 'eks',
  eks: { clusterName: 'pricesense', endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com', certificateAuthorityData: 'Q0E=' },
} as const;

const TRAINING = ['ValidateInput', 'RawToSilver', 'SilverToGold', 'CheckDataQuality', 'ReadDataQualityResults', 'DataQualityGate', 'IngestFeatures'];
const TO_REGISTRY = [...TRAINING, 'TrainModel', 'CreateModel', 'ScoreTestSplit', 'EvaluateModel', 'MetricGate', 'RegisterModel', 'ChooseRolloutTarget'];

function publishedMessage(run: Awaited<ReturnType<typeof runWorkflow>>, state: string): Record<string, unknown> {
  const [args] = run.taskInputsOf(state) as { Message: string }[];
  return JSON.parse(args!.Message) as Record<string, unknown>;
}

describe('pipeline branches (mocked Task results)', () => {
  it('rolls out to the SageMaker endpoint on the happy path', async () => {
    const run = await runWorkflow({ definition: await pipelineDefinition(), mockConfig, testCase: 'HappyPath', input });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.path.filter((state) => state !== 'IngestFeatureFile')).toEqual([
      ...TO_REGISTRY, 'CreateEndpointConfig', 'FindEndpoint', 'UpdateEndpoint', 'WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus',
      'WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus', 'NotifySuccess', 'PipelineSucceeded',
    ]);
    expect(run.output).toMatchObject({ runId: 'r-2024-0001', modelPackageArn: 'arn:aws:sagemaker:us-east-1:000000000000:model-package/pricesense-basket-price-sensitivity/3' });
  });

  it('rolls out to EKS when the deploy target is eks', async () => {
    const run = await runWorkflow({ definition: await pipelineDefinition(eksConfig), mockConfig, testCase: 'HappyPath', input });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.path.filter((state) => state !== 'IngestFeatureFile').slice(TO_REGISTRY.length - 1)).toEqual([
      'ChooseRolloutTarget', 'PatchEksDeployment', 'WaitForEksRollout', 'ReadEksRollout', 'CheckEksRollout', 'NotifySuccess', 'PipelineSucceeded',
    ]);
  });

  it('registers the model and does not roll out when the deploy target is none', async () => {
    const run = await runWorkflow({ definition: await pipelineDefinition({ deployTarget: 'none' }), mockConfig, testCase: 'HappyPath', input });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.path.slice(-3)).toEqual(['ChooseRolloutTarget', 'NotifySuccess', 'PipelineSucceeded']);
  });

  it('fails bad input at ValidateInput and notifies', async () => {
    const run = await runWorkflow({ definition: await pipelineDefinition(), mockConfig, testCase: 'BadInput', input: { hello: 1 } });

    expect(run.path).toEqual(['ValidateInput', 'NotifyFailure', 'PipelineFailed']);
    expect(run.status).toBe('FAILED');
    expect(publishedMessage(run, 'NotifyFailure')).toMatchObject({ status: 'FAILED', failedState: 'ValidateInput', error: 'InvalidExecutionInput' });
  });

  it('stops at the data-quality gate when a rule is breached', async () => {
    const run = await runWorkflow({ definition: await pipelineDefinition(), mockConfig, testCase: 'DataQualityBreached', input });

    expect(run.path.slice(-2)).toEqual(['DataQualityGate', 'DataQualityFailed']);
    expect(run.status).toBe('FAILED');
    expect(run.path).not.toContain('IngestFeatures');
  });

  it('stops at the metric gate when the model is below threshold', async () => {
    const run = await runWorkflow({ definition: await pipelineDefinition(), mockConfig, testCase: 'ModelBelowThreshold', input });

    expect(run.path.slice(-2)).toEqual(['MetricGate', 'ModelBelowThreshold']);
    expect(run.status).toBe('FAILED');
    expect(run.path).not.toContain('RegisterModel');
  });

  it('routes a failed training job to NotifyFailure with the SageMaker error', async () => {
    const run = await runWorkflow({ definition: await pipelineDefinition(), mockConfig, testCase: 'TrainingFails', input });

    expect(run.path.slice(-3)).toEqual(['TrainModel', 'NotifyFailure', 'PipelineFailed']);
    expect(publishedMessage(run, 'NotifyFailure')).toMatchObject({ failedState: 'TrainModel', error: 'SageMaker.TrainingJobFailed' });
  });

  it('retries a throttled ValidateInput twice and then succeeds', async () => {
    const run = await runWorkflow({ definition: await pipelineDefinition(), mockConfig, testCase: 'ThrottledThenHealed', input });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.taskInputsOf('ValidateInput')).toHaveLength(3);
    expect(run.eventsOf('TaskFailed').map((event) => event.taskFailedEventDetails?.error)).toEqual([
      'Lambda.TooManyRequestsException', 'Lambda.TooManyRequestsException',
    ]);
  });

  it('treats an endpoint rolled back to the old config as a failed rollout and notifies', async () => {
    const run = await runWorkflow({ definition: await pipelineDefinition(), mockConfig, testCase: 'EndpointRolledBack', input });

    expect(run.path.slice(-4)).toEqual(['CheckEndpointStatus', 'RolloutFailed', 'NotifyFailure', 'PipelineFailed']);
    const message = publishedMessage(run, 'NotifyFailure');
    expect(message).toMatchObject({ failedState: 'CheckEndpointStatus', error: 'RolloutFailed' });
    expect(String(message.cause)).toContain('Auto-rollback');
  });
});
