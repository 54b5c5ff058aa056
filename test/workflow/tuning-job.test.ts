import { describe, expect, it } from 'vitest';
import { aslForTest, synthForTest } from '../support/synth.js';

const TUNING = { training: { tuning: { enabled: true, maxNumberOfTrainingJobs: 6, maxParallelTrainingJobs: 2 } } };

/** Every statement of the state machine role's policies, resolved enough to search. */
function stateMachineStatements(template: Record<string, any>): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  return Object.values(template.Resources as Record<string, any>)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
    .filter((resource) => JSON.stringify(resource.Properties.Roles ?? []).includes('PipelineStateMachineRole'))
    .flatMap((resource) => resource.Properties.PolicyDocument.Statement);
}

function actionsOf(statement: { Action: string | string[] }): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

describe('training.tuning in the pipeline definition (synthesized with cdk-nag)', () => {
  const topLevel = aslForTest(TUNING);
  const [ingestionBranch, trainingBranch] = topLevel.States.IngestAndTrain!.Branches!;
  /** The tuning states live in IngestAndTrain's training branch. */
  const asl = { States: { ...topLevel.States, ...trainingBranch!.States } };
  const { template } = synthForTest(TUNING);

  it('replaces TrainModel with TuneModel -> ReadBestTrainingJob -> ListTuningTrials in the training branch, beside ingestion', () => {
    expect(asl.States.TrainModel).toBeUndefined();
    expect(ingestionBranch!.StartAt).toBe('IngestFeatures');
    expect(trainingBranch!.StartAt).toBe('TuneModel');
    expect(asl.States.TuneModel!.Next).toBe('ReadBestTrainingJob');
    expect(asl.States.ReadBestTrainingJob!.Next).toBe('ListTuningTrials');
    expect(asl.States.ListTuningTrials!.End).toBe(true);
    expect(topLevel.States.IngestAndTrain!.Next).toBe('CreateModel');
  });

  it('hands `training` and `tuning` out of the branch: ListTuningTrials outputs them, IngestAndTrain assigns them', () => {
    expect(Object.keys(asl.States.ListTuningTrials!.Output as object)).toEqual(['training', 'tuning']);
    expect(topLevel.States.IngestAndTrain!.Assign).toEqual({ training: '{% $states.result[1].training %}', tuning: '{% $states.result[1].tuning %}' });
  });

  it('creates a tuning job from the config with the training job definition of TrainModel', () => {
    const tune = asl.States.TuneModel!;
    expect(tune.Resource).toMatch(/^arn:aws:states:::sagemaker:createHyperParameterTuningJob\.sync$/);
    expect(tune.Arguments!.HyperParameterTuningJobConfig).toEqual({
      Strategy: 'Bayesian',
      HyperParameterTuningJobObjective: { Type: 'Minimize', MetricName: 'validation:merror' },
      ResourceLimits: { MaxNumberOfTrainingJobs: 6, MaxParallelTrainingJobs: 2 },
      ParameterRanges: {
        ContinuousParameterRanges: [
          { Name: 'eta', MinValue: '0.02', MaxValue: '0.4', ScalingType: 'Logarithmic' },
          { Name: 'min_child_weight', MinValue: '1', MaxValue: '10', ScalingType: 'Auto' },
          { Name: 'subsample', MinValue: '0.5', MaxValue: '1', ScalingType: 'Auto' },
        ],
        IntegerParameterRanges: [
          { Name: 'max_depth', MinValue: '3', MaxValue: '10', ScalingType: 'Auto' },
          { Name: 'num_round', MinValue: '200', MaxValue: '1000', ScalingType: 'Auto' },
        ],
      },
      TrainingJobEarlyStoppingType: 'Off',
    });
    const definition = tune.Arguments!.TrainingJobDefinition;
    expect(definition.StaticHyperParameters).toEqual({
      objective: 'multi:softprob',
      num_class: '3',
      colsample_bytree: '0.8',
      eval_metric: 'merror,mlogloss',
      early_stopping_rounds: '10',
      tree_method: 'hist',
    });
    expect(definition).toMatchObject({
      AlgorithmSpecification: { TrainingInputMode: 'File' },
      EnableNetworkIsolation: true,
      EnableManagedSpotTraining: true,
      StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 },
      OutputDataConfig: { KmsKeyId: expect.anything() },
      ResourceConfig: { InstanceType: 'ml.m5.xlarge', VolumeKmsKeyId: expect.anything() },
    });
    expect(definition.InputDataConfig.map((channel: { ChannelName: string }) => channel.ChannelName)).toEqual(['train', 'validation']);
    expect(definition.CheckpointConfig).toBeUndefined();
    expect(definition.TrainingJobName).toBeUndefined();
    expect(definition.HyperParameters).toBeUndefined();
  });

  it('names the tuning job within 32 characters from the execution and its redrive count', () => {
    expect(asl.States.TuneModel!.Arguments!.HyperParameterTuningJobName).toBe(
      "{% 'ps-tune-' & $substring($hash($states.context.Execution.Id & '/' & $string($states.context.Execution.RedriveCount), 'SHA-256'), 0, 24) %}",
    );
  });

  it('takes `training` from the best training job as TrainModel does', () => {
    const read = asl.States.ReadBestTrainingJob!;
    expect(read.Resource).toMatch(/:states:::aws-sdk:sagemaker:describeTrainingJob$/);
    expect(Object.keys(read.Assign!.bestTraining)).toEqual(['jobName', 'modelDataUrl', 'billableSeconds', 'hyperparameters', 'validationMetrics']);
    expect((asl.States.ListTuningTrials!.Output as Record<string, unknown>).training).toBe('{% $bestTraining %}');
  });

  it('catches every failure of the tuning states into the training branch\'s Fail state', () => {
    for (const name of ['TuneModel', 'ReadBestTrainingJob', 'ListTuningTrials']) {
      expect(asl.States[name]!.Catch!.map((entry) => entry.Next)).toEqual(['TrainingBranchFailed']);
    }
  });

  it('lets the state machine role create, describe, stop and list tuning jobs named ps-tune-*, and nothing of it without tuning', () => {
    const statement = stateMachineStatements(template).find((candidate) => actionsOf(candidate).includes('sagemaker:CreateHyperParameterTuningJob'))!;
    expect(actionsOf(statement).sort()).toEqual(
      ['sagemaker:AddTags', 'sagemaker:CreateHyperParameterTuningJob', 'sagemaker:DescribeHyperParameterTuningJob', 'sagemaker:ListTrainingJobsForHyperParameterTuningJob', 'sagemaker:StopHyperParameterTuningJob'],
    );
    expect(JSON.stringify(statement.Resource)).toContain(':hyper-parameter-tuning-job/ps-tune-*');
    const untuned = stateMachineStatements(synthForTest({}).template);
    expect(untuned.some((candidate) => actionsOf(candidate).includes('sagemaker:CreateHyperParameterTuningJob'))).toBe(false);
  });

  it('lets the role manage the tuning jobs managed rule for .sync', () => {
    const rule = stateMachineStatements(template).find((candidate) => JSON.stringify(candidate.Resource).includes('StepFunctionsGetEventsForSageMakerTuningJobsRule'));
    expect(rule && actionsOf(rule).sort()).toEqual(['events:DescribeRule', 'events:PutRule', 'events:PutTargets']);
  });

  it('lets the role describe the trials (training jobs named ps-tune-*)', () => {
    const describeTrials = stateMachineStatements(template).find((candidate) => JSON.stringify(candidate.Resource).includes(':training-job/ps-tune-*'));
    expect(describeTrials && actionsOf(describeTrials)).toEqual(['sagemaker:DescribeTrainingJob']);
  });

  it('records the tuning summary in the experiment record', () => {
    expect(asl.States.RecordExperiment!.Arguments!.Body).toContain("'tuning': $tuning");
    expect(aslForTest({}).States.RecordExperiment!.Arguments!.Body).not.toContain('$tuning');
  });
});
