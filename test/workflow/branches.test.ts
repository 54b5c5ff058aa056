import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineDefinition, runWorkflow, type WorkflowRun } from '../support/workflow-test.js';

const mockConfig = join(import.meta.dirname, '..', 'fixtures', 'pipeline-mock-config.json');
const input = { bucket: 'pricesense-raw', key: 'raw/transactions.csv' };
const executionName = 'r-2024-0001';
const executionArn = `arn:aws:states:us-east-1:000000000000:execution:local:${executionName}`;
const eksConfig = {
  deployTarget: 'eks',
  eks: { clusterName: 'pricesense', endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com', certificateAuthorityData: 'Q0E=' },
} as const;

const TRAINING = ['ValidateInput', 'RawToSilver', 'SilverToGold', 'CheckDataQuality', 'ReadDataQualityResults', 'DataQualityGate', 'IngestAndTrain', 'IngestFeatures'];
const TO_REGISTRY = [...TRAINING, 'TrainModel', 'CreateModel', 'ScoreTestSplit', 'EvaluateModel', 'RecordExperiment', 'MetricGate', 'RegisterModel', 'ChooseRolloutTarget'];
const GOOD_METRICS = { accuracy: 0.82, macroF1: 0.79, precision: { LA: 0.8, MM: 0.77, UM: 0.81 } };
const MODEL_PACKAGE_ARN = 'arn:aws:sagemaker:us-east-1:000000000000:model-package/pricesense-basket-price-sensitivity/3';
const PREVIOUS_PACKAGE_ARN = 'arn:aws:sagemaker:us-east-1:000000000000:model-package/pricesense-basket-price-sensitivity/2';

async function run(testCase: string, options: { config?: Parameters<typeof pipelineDefinition>[0]; input?: unknown } = {}): Promise<WorkflowRun> {
  return runWorkflow({ definition: await pipelineDefinition(options.config), mockConfig, testCase, input: options.input ?? input, executionName });
}

/** The Map's per-batch state repeats once per file; the branch tests follow the main path. */
function mainPath(workflowRun: WorkflowRun): string[] {
  return workflowRun.path.filter((state) => state !== 'IngestFeatureFile');
}

function publishedMessages(workflowRun: WorkflowRun, state: string): Record<string, unknown>[] {
  return (workflowRun.taskInputsOf(state) as { Message: string }[]).map((args) => JSON.parse(args.Message) as Record<string, unknown>);
}

describe('pipeline branches: success with each rollout target', () => {
  it('rolls out to the SageMaker endpoint, polling until the new config is InService', async () => {
    const result = await run('HappyPath');

    expect(result.status).toBe('SUCCEEDED');
    expect(mainPath(result)).toEqual([
      ...TO_REGISTRY, 'CreateServingModel', 'CreateEndpointConfig', 'FindEndpoint', 'IsEndpointFailed', 'UpdateEndpoint', 'WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus',
      'WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus', 'RegisterScalableTarget', 'PutScalingPolicy', 'NotifySuccess', 'PipelineSucceeded',
    ]);
    expect(result.output).toEqual({
      runId: 'r-2024-0001',
      metrics: GOOD_METRICS,
      modelPackageArn: MODEL_PACKAGE_ARN,
      servedBy: 'SageMaker endpoint pricesense-basket-price-sensitivity',
    });
  });

  it('publishes the success message with metrics, model version and where it is served', async () => {
    const result = await run('HappyPath');

    expect(publishedMessages(result, 'NotifySuccess')).toEqual([
      {
        status: 'SUCCEEDED',
        execution: executionArn,
        runId: 'r-2024-0001',
        metrics: GOOD_METRICS,
        modelPackageArn: MODEL_PACKAGE_ARN,
        approvalStatus: 'Approved',
        servedBy: 'SageMaker endpoint pricesense-basket-price-sensitivity',
      },
    ]);
    expect(result.taskInputsOf('NotifyFailure')).toEqual([]);
  });

  it('updates the endpoint blue/green to the run\'s endpoint config with the rollback alarms', async () => {
    const result = await run('HappyPath');

    const [update] = result.taskInputsOf('UpdateEndpoint') as Record<string, any>[];
    expect(update).toMatchObject({ EndpointName: 'pricesense-basket-price-sensitivity', EndpointConfigName: 'ps-epc-r-2024-0001' });
    expect(update!.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration).toEqual({ Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 });
    expect(update!.DeploymentConfig.AutoRollbackConfiguration.Alarms.length).toBeGreaterThan(0);
  });

  it('creates the serving model from the registered package version and puts it in the endpoint config', async () => {
    const result = await run('HappyPath');

    expect(result.taskInputsOf('CreateServingModel')).toEqual([
      {
        ModelName: 'ps-serve-r-2024-0001',
        ExecutionRoleArn: expect.stringMatching(/^arn:aws:iam::000000000000:role\//),
        PrimaryContainer: { ModelPackageName: MODEL_PACKAGE_ARN },
        EnableNetworkIsolation: true,
        Tags: [
          { Key: 'pricesense:run-id', Value: 'r-2024-0001' },
          { Key: 'pricesense:model-package-arn', Value: MODEL_PACKAGE_ARN },
        ],
      },
    ]);
    const [endpointConfig] = result.taskInputsOf('CreateEndpointConfig') as Record<string, any>[];
    expect(endpointConfig!.ProductionVariants).toEqual([{ VariantName: 'AllTraffic', ModelName: 'ps-serve-r-2024-0001', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }]);
  });

  it('registers the variant for autoscaling with the configured range and invocations target once InService', async () => {
    const result = await run('HappyPath', { config: { endpoint: { minInstances: 2, maxInstances: 6, targetInvocationsPerInstance: 4500 } } });

    const target = { ServiceNamespace: 'sagemaker', ResourceId: 'endpoint/pricesense-basket-price-sensitivity/variant/AllTraffic', ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' };
    expect(result.taskInputsOf('RegisterScalableTarget')).toEqual([{ ...target, MinCapacity: 2, MaxCapacity: 6 }]);
    expect(result.taskInputsOf('PutScalingPolicy')).toEqual([
      {
        ...target,
        PolicyName: 'pricesense-invocations-per-instance',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 4500,
          PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          ScaleInCooldown: 300,
          ScaleOutCooldown: 60,
        },
      },
    ]);
  });

  it('serves a serverless endpoint: ServerlessConfig instead of instances, no network isolation, no autoscaling', async () => {
    const result = await run('HappyPath', { config: { endpoint: { serverless: { memorySizeInMb: 2048, maxConcurrency: 20 } } } });

    expect(result.status).toBe('SUCCEEDED');
    expect(mainPath(result).slice(-5)).toEqual(['WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus', 'NotifySuccess', 'PipelineSucceeded']);
    const [endpointConfig] = result.taskInputsOf('CreateEndpointConfig') as Record<string, any>[];
    expect(endpointConfig!.ProductionVariants).toEqual([
      { VariantName: 'AllTraffic', ModelName: 'ps-serve-r-2024-0001', ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 20 } },
    ]);
    expect(endpointConfig!.KmsKeyId).toBeUndefined();
    expect((result.taskInputsOf('CreateServingModel')[0] as Record<string, unknown>).EnableNetworkIsolation).toBe(false);
    expect(result.taskInputsOf('RegisterScalableTarget')).toEqual([]);
    // Deployment guardrails exist only for instance-backed endpoints: a serverless one updates in place.
    const [update] = result.taskInputsOf('UpdateEndpoint') as Record<string, unknown>[];
    expect(update).toEqual({ EndpointName: 'pricesense-basket-price-sensitivity', EndpointConfigName: expect.stringMatching(/^ps-epc-/) });
  });

  it('reports a FindEndpoint error that is not "Could not find endpoint" instead of creating the endpoint', async () => {
    const result = await run('EndpointLookupDenied');

    expect(result.status).toBe('FAILED');
    expect(mainPath(result).slice(TO_REGISTRY.length)).toEqual([
      'CreateServingModel', 'CreateEndpointConfig', 'FindEndpoint', 'IsEndpointMissing', 'NotifyFailure', 'PipelineFailed',
    ]);
    expect(result.error).toBe('SageMaker.SageMakerException');
    expect(result.taskInputsOf('CreateEndpoint')).toEqual([]);
  });

  it('creates the endpoint when FindEndpoint reports it does not exist', async () => {
    const result = await run('EndpointCreated');

    expect(result.status).toBe('SUCCEEDED');
    expect(mainPath(result).slice(TO_REGISTRY.length)).toEqual([
      'CreateServingModel', 'CreateEndpointConfig', 'FindEndpoint', 'IsEndpointMissing', 'CreateEndpoint', 'WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus',
      'WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus', 'RegisterScalableTarget', 'PutScalingPolicy', 'NotifySuccess', 'PipelineSucceeded',
    ]);
    expect(result.taskInputsOf('CreateEndpoint')).toEqual([{ EndpointName: 'pricesense-basket-price-sensitivity', EndpointConfigName: 'ps-epc-r-2024-0001' }]);
  });

  it('deletes a Failed endpoint, waits until it is gone and creates it again (a Failed endpoint cannot be updated)', async () => {
    const result = await run('EndpointFailedRecreated');

    expect(result.status).toBe('SUCCEEDED');
    expect(mainPath(result).slice(TO_REGISTRY.length)).toEqual([
      'CreateServingModel', 'CreateEndpointConfig', 'FindEndpoint', 'IsEndpointFailed', 'DeleteFailedEndpoint',
      'WaitForEndpointDeletion', 'DescribeDeletingEndpoint', 'CheckEndpointDeleted', 'WaitForEndpointDeletion', 'DescribeDeletingEndpoint', 'IsEndpointMissing',
      'CreateEndpoint', 'WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus', 'WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus',
      'RegisterScalableTarget', 'PutScalingPolicy', 'NotifySuccess', 'PipelineSucceeded',
    ]);
    expect(result.taskInputsOf('DeleteFailedEndpoint')).toEqual([{ EndpointName: 'pricesense-basket-price-sensitivity' }]);
    expect(result.taskInputsOf('UpdateEndpoint')).toEqual([]);
    expect(result.taskInputsOf('CreateEndpoint')).toEqual([{ EndpointName: 'pricesense-basket-price-sensitivity', EndpointConfigName: 'ps-epc-r-2024-0001' }]);
  });

  it('polls an endpoint a redriven CreateEndpoint finds already created instead of failing the run', async () => {
    const result = await run('EndpointAlreadyCreated');

    expect(result.status).toBe('SUCCEEDED');
    expect(mainPath(result).slice(TO_REGISTRY.length)).toEqual([
      'CreateServingModel', 'CreateEndpointConfig', 'FindEndpoint', 'IsEndpointMissing', 'CreateEndpoint', 'IsEndpointAlreadyCreated',
      'WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus', 'WaitForEndpoint', 'DescribeEndpoint', 'CheckEndpointStatus',
      'RegisterScalableTarget', 'PutScalingPolicy', 'NotifySuccess', 'PipelineSucceeded',
    ]);
    expect(result.taskInputsOf('NotifyFailure')).toEqual([]);
  });

  it('goes on when a redrive repeats a create whose call had succeeded: SageMaker\'s "already existing" model or endpoint configuration is the run\'s own', async () => {
    const result = await run('CreatesRepeatedByRedrive');

    expect(result.status).toBe('SUCCEEDED');
    const path = mainPath(result);
    expect(path.slice(path.indexOf('CreateModel'), path.indexOf('CreateModel') + 3)).toEqual(['CreateModel', 'IsModelAlreadyCreated', 'ScoreTestSplit']);
    expect(path.slice(path.indexOf('CreateServingModel'), path.indexOf('CreateServingModel') + 6)).toEqual([
      'CreateServingModel', 'IsServingModelAlreadyCreated', 'CreateEndpointConfig', 'IsEndpointConfigAlreadyCreated', 'FindEndpoint', 'IsEndpointFailed',
    ]);
    expect(result.taskInputsOf('NotifyFailure')).toEqual([]);
  });

  it('still fails the run on any other CreateModel error, naming the state and SageMaker\'s cause', async () => {
    const result = await run('CreateModelRejected');

    expect(result.status).toBe('FAILED');
    expect(mainPath(result).slice(-4)).toEqual(['CreateModel', 'IsModelAlreadyCreated', 'NotifyFailure', 'PipelineFailed']);
    expect(result.error).toBe('SageMaker.AmazonSageMakerException');
    expect(publishedMessages(result, 'NotifyFailure')).toEqual([expect.objectContaining({ failedState: 'CreateModel', error: 'SageMaker.AmazonSageMakerException' })]);
    expect(result.cause).toContain('Could not find model data at s3://');
  });

  it('fails the rollout, naming the endpoint, when a Failed endpoint is still Deleting after the poll budget', async () => {
    const result = await run('EndpointDeletionStuck', { config: { endpoint: { maxPolls: 3 } } });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('RolloutFailed');
    expect(mainPath(result).filter((state) => state === 'DescribeDeletingEndpoint')).toHaveLength(3);
    expect(mainPath(result).slice(-4)).toEqual(['CheckEndpointDeleted', 'RolloutFailed', 'NotifyFailure', 'PipelineFailed']);
    expect(result.cause).toContain('Endpoint pricesense-basket-price-sensitivity was Failed and is being deleted, but is Deleting after 3 polls');
    expect(result.taskInputsOf('CreateEndpoint')).toEqual([]);
  });

  it('rolls out to EKS by patching the Deployment\'s pod-template annotations', async () => {
    const result = await run('HappyPath', { config: eksConfig });

    expect(result.status).toBe('SUCCEEDED');
    expect(mainPath(result).slice(TO_REGISTRY.length - 1)).toEqual([
      'ChooseRolloutTarget', 'ReadEksDeployment', 'PatchEksDeployment', 'WaitForEksRollout', 'ReadEksRollout', 'CheckEksRollout', 'NotifySuccess', 'PipelineSucceeded',
    ]);
    const [patch] = result.taskInputsOf('PatchEksDeployment') as Record<string, any>[];
    expect(patch).toMatchObject({ Method: 'PATCH', Path: '/apis/apps/v1/namespaces/pricesense/deployments/pricesense-serving' });
    expect(patch!.RequestBody.spec.template.metadata.annotations).toEqual({
      'pricesense.io/model-data-url': 's3://artifactsbucket2aac5544/training/ps-train-r-2024-0001/output/model.tar.gz',
      'pricesense.io/model-package-arn': MODEL_PACKAGE_ARN,
    });
    expect(result.output).toMatchObject({ servedBy: 'EKS deployment pricesense/pricesense/pricesense-serving' });
  });

  it('keeps polling EKS while the API server omits the not-yet-nonzero replica counters', async () => {
    const result = await run('EksRolloutInProgress', { config: eksConfig });

    expect(result.status).toBe('SUCCEEDED');
    expect(mainPath(result).slice(TO_REGISTRY.length)).toEqual([
      'ReadEksDeployment', 'PatchEksDeployment', 'WaitForEksRollout', 'ReadEksRollout', 'CheckEksRollout', 'WaitForEksRollout', 'ReadEksRollout', 'CheckEksRollout',
      'NotifySuccess', 'PipelineSucceeded',
    ]);
  });

  it('registers the model and does not roll out when the deploy target is none', async () => {
    const result = await run('HappyPath', { config: { deployTarget: 'none' } });

    expect(result.status).toBe('SUCCEEDED');
    expect(mainPath(result)).toEqual([...TO_REGISTRY, 'NotifySuccess', 'PipelineSucceeded']);
    expect(result.output).toEqual({ runId: 'r-2024-0001', metrics: GOOD_METRICS, modelPackageArn: MODEL_PACKAGE_ARN, servedBy: 'not deployed (deployTarget none)' });
  });
});

describe('pipeline branches: failures', () => {
  it('fails bad input at ValidateInput without retrying and notifies with the error and cause', async () => {
    const result = await run('BadInput', { input: { hello: 1 } });

    expect(result.path).toEqual(['ValidateInput', 'NotifyFailure', 'PipelineFailed']);
    expect(result.taskInputsOf('ValidateInput')).toHaveLength(1);
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidExecutionInput');
    expect(result.cause).toBe('expected {bucket, key} or an EventBridge S3 Object Created event, got {"hello":1}');
    expect(publishedMessages(result, 'NotifyFailure')).toEqual([
      {
        status: 'FAILED',
        execution: executionArn,
        runId: executionName,
        failedState: 'ValidateInput',
        error: 'InvalidExecutionInput',
        cause: 'expected {bucket, key} or an EventBridge S3 Object Created event, got {"hello":1}',
      },
    ]);
  });

  it('stops at the data-quality gate naming the breached rule, before ingesting anything', async () => {
    const result = await run('DataQualityBreached');

    expect(result.path).toEqual([...TRAINING.slice(0, TRAINING.indexOf('DataQualityGate') + 1), 'DataQualityFailed']);
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('DataQualityFailed');
    expect(result.cause).toBe('Data-quality rules breached: min_labelled_baskets measured 12 (threshold 1000)');
  });

  it('stops at the metric gate with every metric in the cause and registers nothing', async () => {
    const result = await run('ModelBelowThreshold');

    expect(mainPath(result)).toEqual([...TO_REGISTRY.slice(0, TO_REGISTRY.indexOf('MetricGate') + 1), 'ModelBelowThreshold']);
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ModelBelowThreshold');
    expect(result.cause).toBe(
      'Model below threshold: accuracy 0.61 < 0.75 (FAILED); macroF1 0.55 < 0.7 (FAILED); precision.LA 0.6 < 0.65 (FAILED); precision.MM 0.5 < 0.65 (FAILED); precision.UM 0.58 < 0.65 (FAILED)',
    );
  });

  it('routes a failed training job to NotifyFailure with the job\'s FailureReason', async () => {
    const result = await run('TrainingFails');

    expect(mainPath(result).slice(-4)).toEqual(['TrainModel', 'TrainingBranchFailed', 'NotifyFailure', 'PipelineFailed']);
    expect(result.taskInputsOf('TrainModel')).toHaveLength(1);
    expect(result.error).toBe('States.TaskFailed');
    const [message] = publishedMessages(result, 'NotifyFailure');
    expect(message).toMatchObject({ status: 'FAILED', failedState: 'TrainModel', error: 'States.TaskFailed' });
    expect(JSON.parse(String(message!.cause))).toMatchObject({
      TrainingJobStatus: 'Failed',
      FailureReason: 'ClientError: Unable to parse the train channel: row 17 has 41 columns, expected 42',
    });
  });

  it('fails the run naming IngestFeatures when feature ingestion fails beside training, with the Map\'s error and cause', async () => {
    const result = await run('IngestionFails');

    expect(result.status).toBe('FAILED');
    expect(mainPath(result).slice(-3)).toEqual(['IngestionBranchFailed', 'NotifyFailure', 'PipelineFailed']);
    expect(result.path).not.toContain('CreateModel');
    const [message] = publishedMessages(result, 'NotifyFailure');
    expect(message).toMatchObject({ status: 'FAILED', failedState: 'IngestFeatures', error: result.error });
    expect(result.error).toBe('States.ExceedToleratedFailureThreshold');
    expect(result.cause).toBe(message!.cause);
  });

  it('retries a throttled ValidateInput twice and then succeeds', async () => {
    const result = await run('ThrottledThenHealed');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.taskInputsOf('ValidateInput')).toHaveLength(3);
    expect(result.eventsOf('TaskFailed').map((event) => event.taskFailedEventDetails?.error)).toEqual([
      'Lambda.TooManyRequestsException', 'Lambda.TooManyRequestsException',
    ]);
    expect(result.output).toMatchObject({ modelPackageArn: MODEL_PACKAGE_ARN });
  });

  it('treats an endpoint rolled back to the old config as a failed rollout and notifies with the rollback reason', async () => {
    const result = await run('EndpointRolledBack');

    expect(result.path.slice(-4)).toEqual(['CheckEndpointStatus', 'RolloutFailed', 'NotifyFailure', 'PipelineFailed']);
    const cause =
      'Endpoint pricesense-basket-price-sensitivity is InService serving ps-epc-previous (expected ps-epc-r-2024-0001) after 2 polls: Auto-rollback: alarm pricesense-5xx went to ALARM during blue/green baking';
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('RolloutFailed');
    expect(result.cause).toBe(cause);
    expect(publishedMessages(result, 'NotifyFailure')).toEqual([
      { status: 'FAILED', execution: executionArn, runId: executionName, failedState: 'CheckEndpointStatus', error: 'RolloutFailed', cause },
    ]);
    expect(result.taskInputsOf('NotifySuccess')).toEqual([]);
  });

  it('fails the rollout when the endpoint update ends Failed, with SageMaker\'s FailureReason', async () => {
    const result = await run('EndpointUpdateFailed');

    expect(result.path.slice(-4)).toEqual(['CheckEndpointStatus', 'RolloutFailed', 'NotifyFailure', 'PipelineFailed']);
    expect(result.error).toBe('RolloutFailed');
    expect(result.cause).toBe(
      'Endpoint pricesense-basket-price-sensitivity is Failed serving ps-epc-previous (expected ps-epc-r-2024-0001) after 2 polls: The primary container for production variant AllTraffic did not pass the ping health check.',
    );
  });

  it('fails the run naming RegisterScalableTarget when Application Auto Scaling rejects the target, without retrying', async () => {
    const result = await run('ScalingTargetRejected');

    expect(result.path.slice(-4)).toEqual(['CheckEndpointStatus', 'RegisterScalableTarget', 'NotifyFailure', 'PipelineFailed']);
    expect(result.taskInputsOf('RegisterScalableTarget')).toHaveLength(1);
    expect(result.error).toBe('ApplicationAutoScaling.ValidationException');
    expect(publishedMessages(result, 'NotifyFailure')).toEqual([
      expect.objectContaining({ failedState: 'RegisterScalableTarget', error: 'ApplicationAutoScaling.ValidationException' }),
    ]);
  });

  it('gives up on an EKS rollout that never becomes available after the configured polls and rolls back to the model served before', async () => {
    const result = await run('EksRolloutStuck', { config: eksConfig });

    expect(result.taskInputsOf('ReadEksRollout')).toHaveLength(40);
    expect(result.path.slice(-6)).toEqual(['CheckEksRollout', 'CanRollBackEks', 'RollBackEksDeployment', 'RolloutFailed', 'NotifyFailure', 'PipelineFailed']);
    const [rollBack] = result.taskInputsOf('RollBackEksDeployment') as Record<string, any>[];
    expect(rollBack).toMatchObject({ Method: 'PATCH', Path: '/apis/apps/v1/namespaces/pricesense/deployments/pricesense-serving' });
    expect(rollBack!.RequestBody.spec.template.metadata.annotations).toEqual({
      'pricesense.io/model-data-url': 's3://artifactsbucket2aac5544/training/ps-train-r-2024-0000/output/model.tar.gz',
      'pricesense.io/model-package-arn': PREVIOUS_PACKAGE_ARN,
    });
    expect(result.error).toBe('RolloutFailed');
    expect(result.cause).toBe(
      'Deployment pricesense/pricesense-serving did not finish rolling out after 40 polls: {"generation":7,"observedGeneration":7,"desired":2,"replicas":3,"updated":1,"available":2,"stalled":false}' +
        `; rolled back to ${PREVIOUS_PACKAGE_ARN}`,
    );
  });

  it('only fails a first EKS rollout that never becomes available: there is no earlier model to go back to', async () => {
    const result = await run('EksFirstRolloutStuck', { config: eksConfig });

    expect(result.path.slice(-5)).toEqual(['CheckEksRollout', 'CanRollBackEks', 'RolloutFailed', 'NotifyFailure', 'PipelineFailed']);
    expect(result.taskInputsOf('RollBackEksDeployment')).toEqual([]);
    expect(result.cause).toMatch(/^Deployment pricesense\/pricesense-serving did not finish rolling out after 40 polls: /);
  });

  it('stops polling as soon as the Deployment reports ProgressDeadlineExceeded, and rolls back', async () => {
    const result = await run('EksProgressDeadlineExceeded', { config: eksConfig });

    expect(result.taskInputsOf('ReadEksRollout')).toHaveLength(3);
    expect(result.path.slice(-4)).toEqual(['RollBackEksDeployment', 'RolloutFailed', 'NotifyFailure', 'PipelineFailed']);
    expect(result.cause).toMatch(/^Deployment pricesense\/pricesense-serving did not finish rolling out \(ProgressDeadlineExceeded\) after 3 polls: .*"stalled":true\}; rolled back to arn:aws:sagemaker:us-east-1:000000000000:model-package\/pricesense-basket-price-sensitivity\/2$/);
  });

});
