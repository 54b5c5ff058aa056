/**
 * TrainModel with `training.tuning` on: a SageMaker automatic model tuning job over the same
 * training job definition, then the best training job's description, then the trial list. Like
 * TrainModel, it runs as the training branch of IngestAndTrain: the last state outputs `training`
 * exactly as TrainModel does (jobName, modelDataUrl, billableSeconds, hyperparameters,
 * validationMetrics), so every later state is unchanged, and `tuning`, which the experiment record
 * carries; IngestAndTrain assigns both as variables. Inside the branch the summary builds up in
 * `tuningJob` and the best job in `bestTraining` (branch-scoped names, not the top level's).
 */
import { TRAINING_VARIABLE, trainingFromJobDescription } from './training-result.js';
import { Stack, aws_iam as iam, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { TrainingConfig } from './config.js';
import { jsonata } from './jsonata.js';
import { StateName } from './names.js';
import { guard, RetryPolicies, retryProps } from './retry-policies.js';
import { CONTINUOUS_TUNED, INTEGER_TUNED, TUNING_JOB_NAME_PREFIX, TUNING_OBJECTIVES, type TuningConfig } from './tuning-config.js';

/** JSONata variable holding the tuning job's summary for the experiment record. */
export const TUNING_VARIABLE = 'tuning';
/** Branch-scoped: the tuning job's summary while the branch runs, and the best trial's `training`. */
const TUNING_JOB_VARIABLE = 'tuningJob';
const BEST_TRAINING_VARIABLE = 'bestTraining';

/**
 * `ps-tune-` + 24 hex of the execution ARN and redrive count: 32 characters, SageMaker's limit for
 * tuning job names, unique per execution and per redrive (a job name is never reused).
 */
export const TUNING_JOB_NAME = `'${TUNING_JOB_NAME_PREFIX}-' & $substring($hash($states.context.Execution.Id & '/' & $string($states.context.Execution.RedriveCount), 'SHA-256'), 0, 24)`;

/** Trials of a tuning job kept in the experiment record (one ListTrainingJobsForHyperParameterTuningJob page). */
export const MAX_RECORDED_TRIALS = 100;

export interface TuningStatesProps {
  training: TrainingConfig;
  /**
   * CreateTrainingJob Arguments of the plain TrainModel state: the tuning job's training job
   * definition is built from them (TrainingJobName, HyperParameters and Tags are dropped, and
   * CheckpointConfig: all trials would share its one S3 prefix, and a trial of a few minutes
   * interrupted on spot is cheaper to restart than to resume).
   */
  trainingArguments: Record<string, unknown>;
  sageMakerRoleArn: string;
  /** Where a failed state goes: the training branch's Fail state. */
  notifyFailure: sfn.IChainable;
  /** The variable its Catch records the failure in. */
  failureVariable: string;
  sageMakerArn: (resource: string) => string;
}

export interface TuningStates {
  start: sfn.State;
  end: sfn.CustomState;
  /** The fields of the end state's Output, assigned as variables after the Parallel that runs these states. */
  exports: string[];
  policyStatements: iam.PolicyStatement[];
}

/** Static hyperparameters: the configured ones minus the tuned, with the objective's metric evaluated too. */
export function staticHyperParameters(training: TrainingConfig): Record<string, string> {
  const tuned = new Set<string>([...CONTINUOUS_TUNED, ...INTEGER_TUNED]);
  const fixed = Object.entries(training.hyperparameters).filter(([name]) => !tuned.has(name));
  const out: Record<string, string> = Object.fromEntries(fixed.map(([name, value]) => [name, String(value)]));
  // merror is always reported (validation accuracy = 1 - merror); early stopping watches the
  // last metric, which stays the configured eval_metric.
  const configured = training.hyperparameters.eval_metric;
  const objectiveMetric = TUNING_OBJECTIVES[training.tuning.objectiveMetric].evalMetric;
  out.eval_metric = [...new Set(['merror', objectiveMetric, configured].filter((metric) => metric !== configured)), configured].join(',');
  return out;
}

/** HyperParameterTuningJobConfig from `training.tuning`. */
export function tuningJobConfig(tuning: TuningConfig): Record<string, unknown> {
  const range = (name: keyof TuningConfig['ranges']) => ({
    Name: name,
    MinValue: String(tuning.ranges[name].min),
    MaxValue: String(tuning.ranges[name].max),
    ScalingType: tuning.ranges[name].scaling,
  });
  return {
    Strategy: tuning.strategy,
    HyperParameterTuningJobObjective: { Type: TUNING_OBJECTIVES[tuning.objectiveMetric].type, MetricName: tuning.objectiveMetric },
    ResourceLimits: { MaxNumberOfTrainingJobs: tuning.maxNumberOfTrainingJobs, MaxParallelTrainingJobs: tuning.maxParallelTrainingJobs },
    ParameterRanges: {
      ContinuousParameterRanges: CONTINUOUS_TUNED.map(range),
      IntegerParameterRanges: INTEGER_TUNED.map(range),
    },
    TrainingJobEarlyStoppingType: tuning.trainingJobEarlyStopping,
  };
}

export function buildTuningStates(scope: Construct, props: TuningStatesProps): TuningStates {
  const stack = Stack.of(scope);
  const { TrainingJobName: _name, HyperParameters: _hyperparameters, Tags: tags, CheckpointConfig: _checkpoint, ...definition } = props.trainingArguments;
  const tuning = props.training.tuning;
  const tuneModel = new sfn.CustomState(scope, StateName.TuneModel, {
    stateJson: {
      Type: 'Task',
      Comment: `SageMaker automatic model tuning (${tuning.strategy}, ${tuning.maxNumberOfTrainingJobs} trials, ${tuning.maxParallelTrainingJobs} at a time) on ${tuning.objectiveMetric}.`,
      Resource: `arn:${stack.partition}:states:::sagemaker:createHyperParameterTuningJob.sync`,
      Arguments: {
        HyperParameterTuningJobName: jsonata(TUNING_JOB_NAME),
        HyperParameterTuningJobConfig: tuningJobConfig(tuning),
        TrainingJobDefinition: {
          ...definition,
          StaticHyperParameters: staticHyperParameters(props.training),
        },
        ...(tags !== undefined ? { Tags: tags } : {}),
      },
      Assign: {
        [TUNING_JOB_VARIABLE]: {
          jobName: jsonata('$states.result.HyperParameterTuningJobName'),
          strategy: tuning.strategy,
          objectiveMetric: tuning.objectiveMetric,
          bestObjective: jsonata('$states.result.BestTrainingJob.FinalHyperParameterTuningJobObjectiveMetric.Value'),
          trainingJobCounters: jsonata('$states.result.TrainingJobStatusCounters'),
        },
      },
      Output: { bestTrainingJobName: jsonata('$states.result.BestTrainingJob.TrainingJobName') },
    },
  });
  guard(tuneModel, StateName.TuneModel, RetryPolicies.sageMaker, props.notifyFailure, props.failureVariable);
  tuneModel.addRetry(retryProps(RetryPolicies.sageMakerGeneric));

  const readBest = new sfn.CustomState(scope, StateName.ReadBestTrainingJob, {
    stateJson: {
      Type: 'Task',
      Comment: "The tuning job's best training job: its model is the one the rest of the pipeline scores and registers.",
      Resource: `arn:${stack.partition}:states:::aws-sdk:sagemaker:describeTrainingJob`,
      Arguments: { TrainingJobName: jsonata('$states.input.bestTrainingJobName') },
      Assign: {
        [BEST_TRAINING_VARIABLE]: trainingFromJobDescription(),
      },
      Output: { trainingJobStatus: jsonata('$states.result.TrainingJobStatus') },
    },
  });
  guard(readBest, StateName.ReadBestTrainingJob, RetryPolicies.sageMaker, props.notifyFailure, props.failureVariable);
  readBest.addRetry(retryProps(RetryPolicies.sageMakerSdkGeneric));

  const minimize = TUNING_OBJECTIVES[tuning.objectiveMetric].type === 'Minimize';
  const listTrials = new sfn.CustomState(scope, StateName.ListTuningTrials, {
    stateJson: {
      Type: 'Task',
      Comment: `Every trial with its tuned values and objective, best first (up to ${MAX_RECORDED_TRIALS}), for the experiment record.`,
      Resource: `arn:${stack.partition}:states:::aws-sdk:sagemaker:listTrainingJobsForHyperParameterTuningJob`,
      Arguments: {
        HyperParameterTuningJobName: jsonata(`$${TUNING_JOB_VARIABLE}.jobName`),
        SortBy: 'FinalObjectiveMetricValue',
        SortOrder: minimize ? 'Ascending' : 'Descending',
        MaxResults: MAX_RECORDED_TRIALS,
      },
      Output: {
        [TRAINING_VARIABLE]: jsonata(`$${BEST_TRAINING_VARIABLE}`),
        [TUNING_VARIABLE]: jsonata(
          `$merge([$${TUNING_JOB_VARIABLE}, {'trials': [$states.result.TrainingJobSummaries.{'trainingJob': TrainingJobName, 'status': TrainingJobStatus, 'hyperparameters': TunedHyperParameters, 'objective': FinalHyperParameterTuningJobObjectiveMetric.Value}]}])`,
        ),
      },
    },
  });
  guard(listTrials, StateName.ListTuningTrials, RetryPolicies.sageMaker, props.notifyFailure, props.failureVariable);
  listTrials.addRetry(retryProps(RetryPolicies.sageMakerSdkGeneric));
  tuneModel.next(readBest);
  readBest.next(listTrials);

  const tuningJobs = props.sageMakerArn(`hyper-parameter-tuning-job/${TUNING_JOB_NAME_PREFIX}-*`);
  const policyStatements = [
    new iam.PolicyStatement({
      actions: ['sagemaker:CreateHyperParameterTuningJob', 'sagemaker:DescribeHyperParameterTuningJob', 'sagemaker:StopHyperParameterTuningJob', 'sagemaker:ListTrainingJobsForHyperParameterTuningJob', 'sagemaker:AddTags'],
      resources: [tuningJobs],
    }),
    // Trials are named `<tuning job>-<NNN>-<8 hex>`.
    new iam.PolicyStatement({ actions: ['sagemaker:DescribeTrainingJob'], resources: [props.sageMakerArn(`training-job/${TUNING_JOB_NAME_PREFIX}-*`)] }),
    new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForSageMakerTuningJobsRule' })],
    }),
    new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [props.sageMakerRoleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }),
  ];
  return { start: tuneModel, end: listTrials, exports: [TRAINING_VARIABLE, TUNING_VARIABLE], policyStatements };
}
