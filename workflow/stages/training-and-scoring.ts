/**
 * Stages 5-6, training, scoring and evaluation: train XGBoost on the gold train/validation CSV,
 * make a SageMaker model of the output, batch-transform the held-out test features and evaluate
 * the predictions (the evaluate-model Lambda writes the model-quality report and sets
 * `$evaluation` for the metric gate).
 *
 * The training step runs as a branch of IngestAndTrain (ingest-and-train.ts), beside feature
 * ingestion; this stage builds it (`configuredTrainingStep`) and the states after it (from
 * CreateModel on). The step is one function (`buildTrainingJobState`) behind the `TrainingStep`
 * contract: any states whose last one outputs `{training: {jobName, modelDataUrl, billableSeconds,
 * …}}` can take its place (the hyperparameter-tuning job of workflow/tuning-job.ts, when
 * `training.tuning` is on); IngestAndTrain assigns each field of `exports` as a variable.
 * After EvaluateModel, RecordExperiment writes the run's experiment record (workflow/experiment-record.ts).
 */
import { trainingFromJobDescription } from '../training-result.js';
import { aws_iam as iam, aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import { jsonata } from '../jsonata.js';
import { StateName } from '../names.js';
import { guard, RetryPolicies, retryProps } from '../retry-policies.js';
import { buildExperimentRecord } from '../experiment-record.js';
import { buildTuningStates } from '../tuning-job.js';
import { artifactUri, goldUri, guardRedrivenCreate, REDRIVE_SUFFIX, type StageContext, type StageFragment, syncJobPolicies, Variable } from './shared.js';

/**
 * The states that train the model, run as a Parallel branch: entered at `start`, their `end` state
 * outputs an object with a field per name in `exports` (`training` always), which IngestAndTrain
 * assigns as top-level variables (a branch's own variables never leave it).
 */
export interface TrainingStep {
  start: sfn.IChainable;
  end: sfn.INextable;
  exports: string[];
  policyStatements: iam.PolicyStatement[];
}

/** How the training stage builds its training step (the default: one training job). */
export type TrainingStepBuilder = (context: StageContext) => TrainingStep;

/** A gold CSV prefix as a SageMaker input channel. */
export function csvChannel(name: string, uri: string) {
  return {
    ChannelName: name,
    ContentType: 'text/csv',
    CompressionType: 'None',
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: jsonata(uri), S3DataDistributionType: 'FullyReplicated' } },
  };
}

/**
 * CreateTrainingJob arguments of TrainModel; the tuning job's training job definition is built
 * from the same object (workflow/tuning-job.ts), so both train on identical terms.
 */
export function trainingJobArguments({ props, config }: StageContext): Record<string, unknown> {
  const training = config.training;
  const hyperparameters = Object.fromEntries(Object.entries(training.hyperparameters).map(([name, value]) => [name, String(value)]));
  return {
    TrainingJobName: jsonata(`$run.trainingJobName & ${REDRIVE_SUFFIX}`),
    AlgorithmSpecification: { TrainingImage: props.xgboostImageUri, TrainingInputMode: 'File' },
    RoleArn: props.sageMakerRole.roleArn,
    HyperParameters: hyperparameters,
    InputDataConfig: [csvChannel('train', goldUri((p) => p.train)), csvChannel('validation', goldUri((p) => p.validation))],
    OutputDataConfig: { S3OutputPath: jsonata(artifactUri(props, (p) => p.trainingOutput)), KmsKeyId: props.kmsKey.keyArn },
    ResourceConfig: {
      InstanceType: training.instanceType,
      InstanceCount: training.instanceCount,
      VolumeSizeInGB: training.volumeSizeGb,
      VolumeKmsKeyId: props.kmsKey.keyArn,
    },
    StoppingCondition: {
      MaxRuntimeInSeconds: training.maxRuntimeSeconds,
      ...(training.useSpot ? { MaxWaitTimeInSeconds: training.maxWaitSeconds } : {}),
    },
    ...(training.useSpot
      ? { EnableManagedSpotTraining: true, CheckpointConfig: { S3Uri: jsonata(artifactUri(props, (p) => p.checkpoints, `($run.trainingJobName & ${REDRIVE_SUFFIX})`)) } }
      : { EnableManagedSpotTraining: false }),
    EnableNetworkIsolation: true,
    ...(props.sageMakerVpcConfig ? { VpcConfig: props.sageMakerVpcConfig } : {}),
    Tags: [{ Key: 'pricesense:run-id', Value: jsonata('$run.runId') }],
  };
}

/** TrainModel: one SageMaker training job (built-in XGBoost, managed spot when configured), run to completion. */
export function buildTrainingJobState(context: StageContext): TrainingStep {
  const { scope, stack, sageMakerArn, notifyFailure, failureVariable } = context;
  const trainModel = new sfn.CustomState(scope, StateName.TrainModel, {
    stateJson: {
      Type: 'Task',
      Comment: 'SageMaker built-in XGBoost 1.7 on the gold train/validation CSV (managed spot when configured).',
      Resource: `arn:${stack.partition}:states:::sagemaker:createTrainingJob.sync`,
      Arguments: trainingJobArguments(context),
      Output: { [Variable.Training]: trainingFromJobDescription() },
    },
  });
  guard(trainModel, StateName.TrainModel, RetryPolicies.sageMaker, notifyFailure, failureVariable);
  trainModel.addRetry(retryProps(RetryPolicies.sageMakerGeneric));
  return {
    start: trainModel,
    end: trainModel,
    exports: [Variable.Training],
    policyStatements: syncJobPolicies(stack, sageMakerArn, 'training-job/ps-train-*', ['CreateTrainingJob', 'DescribeTrainingJob', 'StopTrainingJob'], 'StepFunctionsGetEventsForSageMakerTrainingJobsRule'),
  };
}

/** TuneModel → ReadBestTrainingJob → ListTuningTrials (`training.tuning` on): outputs the same `training`, and `tuning`. */
export function buildTuningStep(context: StageContext): TrainingStep {
  const { scope, props, config, sageMakerArn, notifyFailure, failureVariable } = context;
  return buildTuningStates(scope, {
    training: config.training,
    trainingArguments: trainingJobArguments(context),
    sageMakerRoleArn: props.sageMakerRole.roleArn,
    notifyFailure,
    failureVariable,
    sageMakerArn,
  });
}

/** The training step the config asks for. */
export function configuredTrainingStep(context: StageContext): TrainingStep {
  return context.config.training.tuning.enabled ? buildTuningStep(context) : buildTrainingJobState(context);
}

/** CreateModel → ScoreTestSplit → EvaluateModel → RecordExperiment: what follows IngestAndTrain. */
export function buildScoringStage(context: StageContext): StageFragment {
  const { scope, props, config, stack, sageMakerArn, notifyFailure } = context;
  const image = props.xgboostImageUri;
  const policyStatements: iam.PolicyStatement[] = [];

  const createModel = new sfn.CustomState(scope, StateName.CreateModel, {
    stateJson: {
      Type: 'Task',
      Comment: 'SageMaker model from the training output (network isolated).',
      Resource: `arn:${stack.partition}:states:::sagemaker:createModel`,
      Arguments: {
        ModelName: jsonata('$run.modelName'),
        ExecutionRoleArn: props.sageMakerRole.roleArn,
        PrimaryContainer: { Image: image, ModelDataUrl: jsonata(`$${Variable.Training}.modelDataUrl`) },
        EnableNetworkIsolation: true,
        // The batch transform of the test split runs in the model's VPC configuration.
        ...(props.sageMakerVpcConfig ? { VpcConfig: props.sageMakerVpcConfig } : {}),
        Tags: [{ Key: 'pricesense:run-id', Value: jsonata('$run.runId') }],
      },
      Output: { modelArn: jsonata('$states.result.ModelArn') },
    },
  });
  policyStatements.push(
    new iam.PolicyStatement({ actions: ['sagemaker:CreateModel', 'sagemaker:AddTags'], resources: [sageMakerArn('model/ps-model-*')] }),
  );

  const transformOutput = artifactUri(props, (p) => p.transformOutput);
  const scoreTestSplit = new sfn.CustomState(scope, StateName.ScoreTestSplit, {
    stateJson: {
      Type: 'Task',
      Comment: 'Batch transform of the held-out test features: one line of class probabilities per row.',
      Resource: `arn:${stack.partition}:states:::sagemaker:createTransformJob.sync`,
      Arguments: {
        TransformJobName: jsonata(`$run.transformJobName & ${REDRIVE_SUFFIX}`),
        ModelName: jsonata('$run.modelName'),
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: jsonata(goldUri((p) => p.testFeatures)) } },
          ContentType: 'text/csv',
          SplitType: 'Line',
        },
        TransformOutput: { S3OutputPath: jsonata(transformOutput), Accept: 'text/csv', AssembleWith: 'Line', KmsKeyId: props.kmsKey.keyArn },
        TransformResources: { InstanceType: config.transformInstanceType, InstanceCount: 1, VolumeKmsKeyId: props.kmsKey.keyArn },
        Tags: [{ Key: 'pricesense:run-id', Value: jsonata('$run.runId') }],
      },
      Output: { transformJobStatus: jsonata('$states.result.TransformJobStatus') },
    },
  });
  guard(scoreTestSplit, StateName.ScoreTestSplit, RetryPolicies.sageMaker, notifyFailure);
  scoreTestSplit.addRetry(retryProps(RetryPolicies.sageMakerGeneric));
  policyStatements.push(
    ...syncJobPolicies(stack, sageMakerArn, 'transform-job/ps-score-*', ['CreateTransformJob', 'DescribeTransformJob', 'StopTransformJob'], 'StepFunctionsGetEventsForSageMakerTransformJobsRule'),
    new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [props.sageMakerRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }),
  );

  const evaluateModel = tasks.LambdaInvoke.jsonata(scope, StateName.EvaluateModel, {
    stateName: StateName.EvaluateModel,
    comment: 'Accuracy, macro F1, per-class precision/recall/F1 on the test split; writes the model-quality report.',
    lambdaFunction: props.functions.evaluateModel,
    payload: sfn.TaskInput.fromObject({
      runId: jsonata('$run.runId'),
      labelsUri: jsonata(goldUri((p) => p.testLabels)),
      predictionsUri: jsonata(transformOutput),
      reportUri: jsonata(artifactUri(props, (p) => p.evaluationReport)),
      modelPackageGroupName: props.modelPackageGroupName,
    }),
    retryOnServiceExceptions: false,
    assign: { [Variable.Evaluation]: jsonata('$states.result.Payload') },
    outputs: jsonata('$states.result.Payload.metrics'),
  });
  guard(evaluateModel, StateName.EvaluateModel, RetryPolicies.lambda, notifyFailure);

  // Recorded before the metric gate: a run that misses a threshold is an experiment too.
  const recordExperiment = buildExperimentRecord(scope, { artifactsBucket: props.artifactsBucket, tuningEnabled: config.training.tuning.enabled, notifyFailure });
  policyStatements.push(...recordExperiment.policyStatements);

  guardRedrivenCreate(createModel, {
    scope,
    stateName: StateName.CreateModel,
    choiceName: StateName.IsModelAlreadyCreated,
    resource: 'model',
    policy: RetryPolicies.sageMaker,
    notifyFailure,
    next: scoreTestSplit,
  });
  createModel.addRetry(retryProps(RetryPolicies.sageMakerGeneric));
  createModel.next(scoreTestSplit);
  scoreTestSplit.next(evaluateModel);
  evaluateModel.next(recordExperiment.state);
  return { start: createModel, end: recordExperiment.state, policyStatements };
}
