/**
 * The training stage's extension point: the state that trains (TrainModel by default) comes from
 * a TrainingStepBuilder, so a different training step (e.g. a tuning job) replaces it without
 * touching model creation, scoring or evaluation, and its IAM statements come first.
 */
import { App, Stack, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_s3 as s3, aws_sns as sns, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../workflow/config.js';
import { StateName } from '../../workflow/names.js';
import type { PipelineDefinitionProps } from '../../workflow/pipeline-definition.js';
import { stageContext } from '../../workflow/stages/shared.js';
import { buildTrainingAndScoringStage, buildTrainingJobState, type TrainingStep } from '../../workflow/stages/training-and-scoring.js';

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

function statesOf(start: sfn.IChainable): Record<string, { Next?: string }> {
  return (new sfn.StateGraph(start.startState, 'test').toGraphJson() as { States: Record<string, { Next?: string }> }).States;
}

describe('training and scoring stage', () => {
  it('trains with one SageMaker training job by default, then creates the model from it', () => {
    const stage = buildTrainingAndScoringStage(context());
    const states = statesOf(stage.start);

    expect(stage.start.startState.stateId).toBe(StateName.TrainModel);
    expect(states[StateName.TrainModel]!.Next).toBe(StateName.CreateModel);
    expect(stage.policyStatements[0]!.actions).toContain('sagemaker:CreateTrainingJob');
  });

  it('takes another training step in place of TrainModel, ahead of CreateModel, with its own grants first', () => {
    const ctx = context();
    const tune = new sfn.Pass(ctx.scope, 'TuneModel');
    const readBest = new sfn.Pass(ctx.scope, 'ReadBestTrainingJob');
    tune.next(readBest);
    const grant = new iam.PolicyStatement({ actions: ['sagemaker:CreateHyperParameterTuningJob'], resources: ['*'] });
    const tuning = (): TrainingStep => ({ start: tune, end: readBest, policyStatements: [grant] });

    const stage = buildTrainingAndScoringStage(ctx, tuning);
    const states = statesOf(stage.start);

    expect(stage.start.startState.stateId).toBe('TuneModel');
    expect(states[StateName.TrainModel]).toBeUndefined();
    expect(states.ReadBestTrainingJob!.Next).toBe(StateName.CreateModel);
    expect(states[StateName.CreateModel]!.Next).toBe(StateName.ScoreTestSplit);
    expect(stage.policyStatements[0]).toBe(grant);
    expect(stage.policyStatements.some((statement) => statement.actions.includes('sagemaker:CreateTrainingJob'))).toBe(false);
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
