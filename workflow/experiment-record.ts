/**
 * RecordExperiment: one JSON object per evaluated run at `experiments/run_id=<runId>/experiment.json`
 * in the artifacts bucket — the training job's hyperparameters and final validation metrics, the
 * tuning job's trials when tuning ran, the test metrics and the approved model's baseline that
 * EvaluateModel compared against. Written by the state machine itself (aws-sdk s3:putObject), so
 * the same record exists on AWS and locally and `pricesense experiments` reads it through S3.
 * Recorded before the metric gate: a run that misses a threshold is an experiment too.
 *
 * Why S3 and not SageMaker Experiments: a tuning job already files its trials as trial components
 * on AWS, but a plain training job's record would need CreateExperiment/CreateTrial/
 * AssociateTrialComponent calls and the test metrics a further API; one S3 object carries all of
 * it, is encrypted with the bucket's key, and is what the local twin can serve identically.
 */
import { Duration, Stack, aws_iam as iam, aws_s3 as s3, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { jsonata, runPathExpression } from './jsonata.js';
import { EVALUATION_VARIABLE } from './metric-gate.js';
import { StateName } from './names.js';
import { guard, type RetryPolicy } from './retry-policies.js';
import { TUNING_VARIABLE } from './tuning-job.js';

export const EXPERIMENTS_PREFIX = 'experiments/';

/** S3's transient answers through the aws-sdk integration (`S3.<Code>Exception`). */
const S3_TRANSIENT: RetryPolicy = {
  errors: ['S3.SlowDownException', 'S3.InternalErrorException', 'S3.ServiceUnavailableException'],
  interval: Duration.seconds(2),
  maxAttempts: 5,
  maxDelay: Duration.seconds(30),
};

/** Key of a run's experiment record in the artifacts bucket. */
export function experimentRecordKey(runId: string): string {
  return `${EXPERIMENTS_PREFIX}run_id=${runId}/experiment.json`;
}

/** Schema version of the record; readers refuse other versions with a sentence. */
export const EXPERIMENT_RECORD_VERSION = 1;

export interface ExperimentRecordProps {
  artifactsBucket: s3.IBucket;
  tuningEnabled: boolean;
  notifyFailure: sfn.IChainable;
}

export function buildExperimentRecord(scope: Construct, props: ExperimentRecordProps): { state: sfn.CustomState; policyStatements: iam.PolicyStatement[] } {
  const stack = Stack.of(scope);
  const record = [
    `'version': ${EXPERIMENT_RECORD_VERSION}`,
    `'runId': $run.runId`,
    `'executionArn': $states.context.Execution.Id`,
    `'startedAt': $states.context.Execution.StartTime`,
    `'trainingJob': $training.jobName`,
    `'modelDataUrl': $training.modelDataUrl`,
    `'billableSeconds': $training.billableSeconds`,
    `'hyperparameters': $training.hyperparameters`,
    `'validationMetrics': $training.validationMetrics`,
    `'testMetrics': $${EVALUATION_VARIABLE}.metrics`,
    `'reportUri': $${EVALUATION_VARIABLE}.reportUri`,
    `'approvedBaseline': $${EVALUATION_VARIABLE}.baseline`,
    `'improvesOnApproved': $${EVALUATION_VARIABLE}.improvesOnBaseline`,
    ...(props.tuningEnabled ? [`'tuning': $${TUNING_VARIABLE}`] : []),
  ];
  const state = new sfn.CustomState(scope, StateName.RecordExperiment, {
    stateJson: {
      Type: 'Task',
      Comment: 'Keeps the run as an experiment: hyperparameters, validation and test metrics, tuning trials, the approved baseline.',
      Resource: `arn:${stack.partition}:states:::aws-sdk:s3:putObject`,
      Arguments: {
        Bucket: props.artifactsBucket.bucketName,
        Key: jsonata(runPathExpression(experimentRecordKey)),
        ContentType: 'application/json',
        Body: jsonata(`$string({${record.join(', ')}})`),
      },
      // The evaluation's output goes on to the metric gate unchanged.
      Output: jsonata('$states.input'),
    },
  });
  guard(state, StateName.RecordExperiment, S3_TRANSIENT, props.notifyFailure);
  // The bucket key's kms:GenerateDataKey comes with the state machine's grant on the pricesense key.
  const policyStatements = [new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [props.artifactsBucket.arnForObjects(`${EXPERIMENTS_PREFIX}*`)] })];
  return { state, policyStatements };
}
