/**
 * The training stage's extension point: the state that trains (TrainModel by default) comes from
 * a TrainingStepBuilder, so a different training step (e.g. a tuning job) replaces it in
 * IngestAndTrain's training branch without touching ingestion, model creation, scoring or
 * evaluation, and the variables it exports are assigned after the Parallel.
 */
import { App, Stack, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_s3 as s3, aws_sns as sns, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../workflow/config.js';
import { StateName } from '../../workflow/names.js';
import type { PipelineDefinitionProps } from '../../workflow/pipeline-definition.js';
import { stageContext } from '../../workflow/stages/shared.js';
import { buildIngestAndTrainStage } from '../../workflow/stages/ingest-and-train.js';
import { buildScoringStage, buildTrainingJobState, type TrainingStep } from '../../workflow/stages/training-and-scoring.js';

function context() {
  const stack = new Stack(new App(), 'TrainingStageTest', { env: { region: 'us-east-1', account: '123456789012' } });
  const fn = (name: string) => lambda.Function.fromFunctionArn(stack, name, `arn:aws:lambda:us-east-1:123456789012:function:${name}`);
  const props: PipelineDefinitionProps = {
    config: resolveConfig(),
    functions: { validateInput: fn('validate'), ingestFeatures: fn('ingest'), evaluateModel: fn('evaluate') },
    goldBucket: s3.Bucket.fromBucketName(stack, 'Gold', 'gold-bucket'),
    artifactsBucket: s3.Bucket.fromBucketName(stack, 'Artifacts', 'artifacts-bucket'),
    glueJobNames: { rawToSilver: 'raw-to-silver', silverToGold: 'silver-to-gold' },
    dataQualitySql: 'SELECT 1',
    dataQualityExecutionParameters: () => [],
    athenaWorkGroup: 'wg',
    athenaDatabase: 'db',
    topic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:123456789012:topic'),
    featureGroupName: 'features',
    modelPackageGroupName: 'models',
    sageMakerRole: iam.Role.fromRoleArn(stack, 'SageMakerRole', 'arn:aws:iam::123456789012:role/sagemaker'),
    xgboostImageUri: 'xgboost:1.7',
    kmsKey: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234'),
    rollbackAlarmNames: [],
  };
  const notifyFailure = new sfn.Pass(stack, 'NotifyFailure');
  return stageContext(stack, props, notifyFailure);
}

interface GraphState {
  Next?: string;
  End?: boolean;
  Assign?: Record<string, unknown>;
  Branches?: Array<{ StartAt: string; States: Record<string, GraphState> }>;
}

function statesOf(start: sfn.IChainable): Record<string, GraphState> {
  return (new sfn.StateGraph(start.startState, 'test').toGraphJson() as { States: Record<string, GraphState> }).States;
}

describe('training and scoring stage', () => {
  it('trains with one SageMaker training job by default in the training branch, and assigns its `training` after the Parallel', () => {
    const stage = buildIngestAndTrainStage(context());
    const parallel = statesOf(stage.start)[StateName.IngestAndTrain]!;
    const [ingestion, training] = parallel.Branches!;

    expect(ingestion!.StartAt).toBe(StateName.IngestFeatures);
    expect(training!.StartAt).toBe(StateName.TrainModel);
    expect(training!.States[StateName.TrainModel]!.End).toBe(true);
    expect(parallel.Assign).toEqual({ training: '{% $states.result[1].training %}' });
    expect(stage.policyStatements[0]!.actions).toContain('sagemaker:CreateTrainingJob');
  });

  it('takes another training step in place of TrainModel, assigning what it exports, with its own grants', () => {
    const ctx = context();
    const tune = new sfn.Pass(ctx.scope, 'TuneModel');
    const readBest = new sfn.Pass(ctx.scope, 'ReadBestTrainingJob');
    tune.next(readBest);
    const grant = new iam.PolicyStatement({ actions: ['sagemaker:CreateHyperParameterTuningJob'], resources: ['*'] });
    const tuning = (): TrainingStep => ({ start: tune, end: readBest, exports: ['training', 'tuning'], policyStatements: [grant] });

    const stage = buildIngestAndTrainStage(ctx, tuning);
    const parallel = statesOf(stage.start)[StateName.IngestAndTrain]!;
    const training = parallel.Branches![1]!;

    expect(training.StartAt).toBe('TuneModel');
    expect(training.States[StateName.TrainModel]).toBeUndefined();
    expect(training.States.ReadBestTrainingJob!.End).toBe(true);
    expect(parallel.Assign).toEqual({ training: '{% $states.result[1].training %}', tuning: '{% $states.result[1].tuning %}' });
    expect(stage.policyStatements).toContain(grant);
    expect(stage.policyStatements.some((statement) => statement.actions.includes('sagemaker:CreateTrainingJob'))).toBe(false);
  });

  it('goes on from the Parallel to CreateModel, ScoreTestSplit and EvaluateModel', () => {
    const scoring = buildScoringStage(context());
    const states = statesOf(scoring.start);

    expect(scoring.start.startState.stateId).toBe(StateName.CreateModel);
    expect(states[StateName.CreateModel]!.Next).toBe(StateName.ScoreTestSplit);
    expect(states[StateName.ScoreTestSplit]!.Next).toBe(StateName.EvaluateModel);
  });

  it('exposes the default training job state on its own, for a builder that wraps it', () => {
    const step = buildTrainingJobState(context());

    expect(step.start).toBe(step.end);
    expect(step.policyStatements.map((statement) => statement.actions)).toEqual([
      ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:AddTags'],
      ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
    ]);
  });
});
