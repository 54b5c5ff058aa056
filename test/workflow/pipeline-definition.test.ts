import { BOUNDED_CAUSE } from '../../workflow/retry-policies.js';
import jsonata from 'jsonata';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { StateName, TransientErrors } from '../../workflow/names.js';
import { aslForTest } from '../support/synth.js';

// asl-validator ships no type declarations: load it through require with its documented shape.
const validator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => { isValid: boolean; errors: unknown[] };

const asl = aslForTest();
const states = asl.States;
/** The states inside IngestAndTrain's branches, by branch. */
const branches = states.IngestAndTrain?.Branches ?? [];
const branchStates: typeof states = Object.assign({}, ...branches.map((branch) => branch.States));

/** A state at the top level or in a branch of IngestAndTrain. */
function state(name: string) {
  const found = states[name] ?? branchStates[name];
  if (!found) throw new Error(`state ${name} missing; have ${[...Object.keys(states), ...Object.keys(branchStates)].join(', ')}`);
  return found;
}

describe('pipeline definition (resolved from the synthesized template)', () => {
  it('is valid ASL according to asl-validator', () => {
    const { isValid, errors } = validator(asl as never);

    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('uses JSONata and starts at ValidateInput', () => {
    expect(asl.QueryLanguage).toBe('JSONata');
    expect(asl.StartAt).toBe(StateName.ValidateInput);
  });

  it('has every fixed public state name', () => {
    const fixed = ['ValidateInput', 'RawToSilver', 'SilverToGold', 'CheckDataQuality', 'IngestFeatures', 'TrainModel', 'EvaluateModel', 'MetricGate', 'ModelBelowThreshold', 'RegisterModel', 'NotifyFailure', 'PipelineFailed'];

    expect([...Object.keys(states), ...Object.keys(branchStates)]).toEqual(expect.arrayContaining(fixed));
  });

  it('follows the happy path order up to the metric gate', () => {
    const path: string[] = [];
    let current: string | undefined = asl.StartAt;
    while (current && current !== StateName.DataQualityGate) {
      path.push(current);
      current = state(current).Next;
    }

    expect(path).toEqual(['ValidateInput', 'RawToSilver', 'SilverToGold', 'CheckDataQuality', 'ReadDataQualityResults']);
    expect(state('DataQualityGate').Choices!.map((choice) => choice.Next)).toContain('IngestAndTrain');
    expect(state('IngestAndTrain').Type).toBe('Parallel');
    expect(branches.map((branch) => branch.StartAt)).toEqual(['IngestFeatures', 'TrainModel']);
    expect(state('IngestFeatures').End).toBe(true);
    expect(state('TrainModel').End).toBe(true);
    expect(state('IngestAndTrain').Next).toBe('CreateModel');
    expect(state('CreateModel').Next).toBe('ScoreTestSplit');
    expect(state('ScoreTestSplit').Next).toBe('EvaluateModel');
    expect(state('EvaluateModel').Next).toBe('RecordExperiment');
    expect(state('RecordExperiment').Next).toBe('MetricGate');
  });

  it('runs the Distributed Map children as STANDARD executions from mapExecutionType', () => {
    expect(state('IngestFeatures').ItemProcessor).toMatchObject({ ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } });
  });

  it('goes from the registry to the serving model, then the endpoint config, on the endpoint branch', () => {
    const endpointChoice = state('ChooseRolloutTarget').Choices!.find((choice) => choice.Condition.includes('"endpoint"'));

    expect(endpointChoice?.Next).toBe('CreateServingModel');
    expect(state('CreateServingModel').Next).toBe('CreateEndpointConfig');
    expect(state('CreateEndpointConfig').Arguments!.ProductionVariants[0].ModelName).toBe('{% "ps-serve-" & $substring($run.modelName, 9) %}');
  });

  it('catches every Task into NotifyFailure keeping state, error and cause', () => {
    const tasks = Object.entries(states).filter(([name, s]) => s.Type === 'Task' && name !== StateName.NotifyFailure);

    expect(tasks.length).toBeGreaterThan(15);
    for (const [name, s] of tasks) {
      const catchAll = s.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      expect(catchAll?.Next, name).toBe(StateName.NotifyFailure);
      expect(catchAll?.Assign?.failure, name).toEqual({ state: name, error: '{% $states.errorOutput.Error %}', cause: `{% ${BOUNDED_CAUSE} %}` });
    }
  });

  it('catches every state of a branch into that branch\'s Fail state, which re-raises the error with the failure record as its cause', () => {
    const failStates = ['IngestionBranchFailed', 'TrainingBranchFailed'];
    for (const [index, branch] of branches.entries()) {
      const guarded = Object.entries(branch.States).filter(([, s]) => s.Type === 'Task' || s.Type === 'Map');
      expect(guarded.length).toBeGreaterThan(0);
      for (const [name, s] of guarded) {
        const catchAll = s.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
        expect(catchAll?.Next, name).toBe(failStates[index]);
        expect(catchAll?.Assign, name).toEqual({ branchFailure: { state: name, error: '{% $states.errorOutput.Error %}', cause: `{% ${BOUNDED_CAUSE} %}` } });
      }
      expect(branch.States[failStates[index]!]).toMatchObject({ Type: 'Fail', Error: '{% $branchFailure.error %}', Cause: '{% $string($branchFailure) %}' });
    }
    const parallelCatch = state('IngestAndTrain').Catch!;
    expect(parallelCatch).toHaveLength(1);
    expect(parallelCatch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'NotifyFailure' });
  });

  it('retries every Task, in the branches of IngestAndTrain too, with capped, fully jittered exponential backoff', () => {
    const tasks = Object.entries({ ...states, ...branchStates }).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([name]) => name)).toContain('TrainModel');

    for (const [name, s] of tasks) {
      expect(s.Retry?.length, name).toBeGreaterThan(0);
      for (const retry of s.Retry ?? []) {
        expect(retry, name).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
        expect(retry.MaxDelaySeconds, name).toBeGreaterThan(0);
      }
    }
  });

  it('never retries the input errors of ValidateInput', () => {
    const retried = state('ValidateInput').Retry!.flatMap((r) => r.ErrorEquals);

    expect(retried).toEqual([...TransientErrors.lambda]);
    expect(retried).not.toContain('InvalidRawFile');
    expect(retried).not.toContain('States.ALL');
  });

  it('retries Glue concurrency limits on the ETL jobs', () => {
    expect(state('RawToSilver').Retry![0]!.ErrorEquals).toContain('Glue.ConcurrentRunsExceededException');
    expect(state('RawToSilver').Resource).toBe('arn:aws:states:::glue:startJobRun.sync');
  });

  it('names the Glue jobs and passes run URIs from the run variable', () => {
    expect(state('RawToSilver').Arguments).toMatchObject({
      JobName: 'pricesense-raw-to-silver',
      Arguments: { '--run_id': '{% $run.runId %}', '--silver_uri': '{% $run.silverUri %}', '--gold_uri': '{% $run.goldUri %}' },
    });
  });

  it('takes SageMaker job names from the run variable, with -r<n> on the n-th redrive (job names are never reused)', async () => {
    const nameOf = async (field: string, redriveCount: number) =>
      jsonata(field.slice(2, -2).trim()).evaluate({}, {
        run: { trainingJobName: 'ps-train-week-47', transformJobName: 'ps-score-week-47' },
        states: { context: { Execution: { RedriveCount: redriveCount } } },
      });

    expect(await nameOf(state('TrainModel').Arguments!.TrainingJobName, 0)).toBe('ps-train-week-47');
    expect(await nameOf(state('TrainModel').Arguments!.TrainingJobName, 2)).toBe('ps-train-week-47-r2');
    expect(await nameOf(state('ScoreTestSplit').Arguments!.TransformJobName, 1)).toBe('ps-score-week-47-r1');
    expect(state('CreateModel').Arguments!.ModelName).toBe('{% $run.modelName %}');
  });

  it('trains on managed spot with checkpoints, MaxWait, KMS and network isolation', () => {
    const args = state('TrainModel').Arguments!;

    expect(state('TrainModel').Resource).toBe('arn:aws:states:::sagemaker:createTrainingJob.sync');
    expect(args.EnableManagedSpotTraining).toBe(true);
    expect(args.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 });
    expect(args.EnableNetworkIsolation).toBe(true);
    expect(args.ResourceConfig.VolumeKmsKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\//);
    expect(args.AlgorithmSpecification.TrainingImage).toBe('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(args.HyperParameters).toMatchObject({ objective: 'multi:softprob', num_class: '3', num_round: '1000' });
  });

  it('gates on the default thresholds', () => {
    const condition = state('MetricGate').Choices![0]!;

    expect(condition.Next).toBe('RegisterModel');
    expect(condition.Condition).toBe(
      '{% $evaluation.metrics.accuracy >= 0.75 and $evaluation.metrics.macroF1 >= 0.7 and $evaluation.metrics.precision.LA >= 0.65 and $evaluation.metrics.precision.MM >= 0.65 and $evaluation.metrics.precision.UM >= 0.65 %}',
    );
    expect(state('MetricGate').Default).toBe('ModelBelowThreshold');
    expect(state('ModelBelowThreshold')).toMatchObject({ Type: 'Fail', Error: 'ModelBelowThreshold' });
  });

  it('ends failed runs in PipelineFailed carrying the original error', () => {
    expect(state('NotifyFailure').Next).toBe('PipelineFailed');
    expect(state('PipelineFailed').Error).toBe('{% $failure.error ? $failure.error : "PipelineFailed" %}');
  });

  it('registers the model Approved with metrics and lineage', () => {
    const args = state('RegisterModel').Arguments!;

    expect(state('RegisterModel').Resource).toBe('arn:aws:states:::aws-sdk:sagemaker:createModelPackage');
    expect(args.ModelApprovalStatus).toBe('Approved');
    expect(args.ModelMetrics.ModelQuality.Statistics.S3Uri).toBe('{% $evaluation.reportUri %}');
    expect(Object.keys(args.CustomerMetadataProperties)).toEqual(['executionArn', 'dataObject', 'trainingJob', 'runId']);
  });

  it('ingests features with a Distributed Map over the run prefix without tolerated failures', () => {
    const map = state('IngestFeatures');

    expect(map.Type).toBe('Map');
    // Step Functions tolerates no failed items unless a tolerance is set.
    expect(map.ToleratedFailurePercentage).toBeUndefined();
    expect(map.ToleratedFailureCount).toBeUndefined();
    expect((map.ItemReader as any).Resource).toBe('arn:aws:states:::s3:listObjectsV2');
    expect((map.ItemReader as any).Arguments.Prefix).toBe('{% "gold/run_id=" & $run.runId & "/customer_features/" %}');
    expect(map.ItemProcessor!.StartAt).toBe('IngestFeatureFile');
  });

  it('finds the endpoint and creates it when SageMaker says it does not exist', () => {
    const notFound = state('FindEndpoint').Catch![0]!;

    expect(notFound).toMatchObject({ Next: 'IsEndpointMissing' });
    expect(notFound.ErrorEquals).toContain('SageMaker.AmazonSageMakerException');
    expect(state('IsEndpointMissing').Choices![0]).toMatchObject({ Next: 'CreateEndpoint' });
    expect(state('IsEndpointMissing').Default).toBe('NotifyFailure');
    expect(state('UpdateEndpoint').Arguments!.DeploymentConfig.AutoRollbackConfiguration.Alarms).toEqual([
      { AlarmName: 'pricesense-endpoint-5xx' },
      { AlarmName: 'pricesense-endpoint-p95-latency' },
    ]);
  });
});
