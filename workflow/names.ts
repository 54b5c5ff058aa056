/**
 * State and error names of the pricesense state machine.
 *
 * These strings are public contract: alarms, docs, replay fixtures and the task Lambdas'
 * error classes refer to them. Change one only with a migration note.
 */

/** Every state of the pipeline, in the order the happy path enters them. */
export const StateName = {
  ValidateInput: 'ValidateInput',
  RawToSilver: 'RawToSilver',
  SilverToGold: 'SilverToGold',
  CheckDataQuality: 'CheckDataQuality',
  ReadDataQualityResults: 'ReadDataQualityResults',
  DataQualityGate: 'DataQualityGate',
  DataQualityFailed: 'DataQualityFailed',
  /** Parallel: feature ingestion in one branch, the training step in the other (workflow/stages/ingest-and-train.ts). */
  IngestAndTrain: 'IngestAndTrain',
  IngestFeatures: 'IngestFeatures',
  IngestFeatureFile: 'IngestFeatureFile',
  /** Fail state ending the ingestion branch: re-raises the error with the failed state named in the cause. */
  IngestionBranchFailed: 'IngestionBranchFailed',
  TrainModel: 'TrainModel',
  /** With training.tuning on, in place of TrainModel (workflow/tuning-job.ts). */
  TuneModel: 'TuneModel',
  ReadBestTrainingJob: 'ReadBestTrainingJob',
  ListTuningTrials: 'ListTuningTrials',
  /** Fail state ending the training branch, as IngestionBranchFailed does for ingestion. */
  TrainingBranchFailed: 'TrainingBranchFailed',
  CreateModel: 'CreateModel',
  IsModelAlreadyCreated: 'IsModelAlreadyCreated',
  ScoreTestSplit: 'ScoreTestSplit',
  EvaluateModel: 'EvaluateModel',
  RecordExperiment: 'RecordExperiment',
  MetricGate: 'MetricGate',
  ModelBelowThreshold: 'ModelBelowThreshold',
  RegisterModel: 'RegisterModel',
  ChooseRolloutTarget: 'ChooseRolloutTarget',
  CreateServingModel: 'CreateServingModel',
  IsServingModelAlreadyCreated: 'IsServingModelAlreadyCreated',
  CreateEndpointConfig: 'CreateEndpointConfig',
  IsEndpointConfigAlreadyCreated: 'IsEndpointConfigAlreadyCreated',
  FindEndpoint: 'FindEndpoint',
  IsEndpointMissing: 'IsEndpointMissing',
  IsEndpointFailed: 'IsEndpointFailed',
  IsEndpointAlreadyCreated: 'IsEndpointAlreadyCreated',
  DeleteFailedEndpoint: 'DeleteFailedEndpoint',
  WaitForEndpointDeletion: 'WaitForEndpointDeletion',
  DescribeDeletingEndpoint: 'DescribeDeletingEndpoint',
  CheckEndpointDeleted: 'CheckEndpointDeleted',
  CreateEndpoint: 'CreateEndpoint',
  UpdateEndpoint: 'UpdateEndpoint',
  WaitForEndpoint: 'WaitForEndpoint',
  DescribeEndpoint: 'DescribeEndpoint',
  CheckEndpointStatus: 'CheckEndpointStatus',
  RegisterScalableTarget: 'RegisterScalableTarget',
  PutScalingPolicy: 'PutScalingPolicy',
  ReadEksDeployment: 'ReadEksDeployment',
  PatchEksDeployment: 'PatchEksDeployment',
  WaitForEksRollout: 'WaitForEksRollout',
  ReadEksRollout: 'ReadEksRollout',
  CheckEksRollout: 'CheckEksRollout',
  CanRollBackEks: 'CanRollBackEks',
  RollBackEksDeployment: 'RollBackEksDeployment',
  RolloutFailed: 'RolloutFailed',
  NotifySuccess: 'NotifySuccess',
  PipelineSucceeded: 'PipelineSucceeded',
  NotifyFailure: 'NotifyFailure',
  PipelineFailed: 'PipelineFailed',
} as const;
export type StateName = (typeof StateName)[keyof typeof StateName];

/**
 * Error names thrown by the task Lambdas (their `name` property) and raised by Fail states.
 * Retry/Catch in the workflow match these exact strings.
 */
export const ErrorName = {
  /** The execution input is neither `{bucket, key}` nor an EventBridge S3 Object Created event. */
  InvalidExecutionInput: 'InvalidExecutionInput',
  /** The raw object does not exist (or is not readable). */
  RawObjectNotFound: 'RawObjectNotFound',
  /** The raw object is empty, too large, not CSV, has the wrong header or unparseable rows. */
  InvalidRawFile: 'InvalidRawFile',
  /** A data-quality rule on gold was breached (cause names the rule and measured value). */
  DataQualityFailed: 'DataQualityFailed',
  /** Some feature records could not be written after retries (cause lists how many and why). */
  FeatureIngestionFailed: 'FeatureIngestionFailed',
  /** The transform output and the test labels do not line up. */
  EvaluationInputMismatch: 'EvaluationInputMismatch',
  /** The trained model missed a threshold of the metric gate. */
  ModelBelowThreshold: 'ModelBelowThreshold',
  /** The endpoint or EKS rollout failed or was rolled back. */
  RolloutFailed: 'RolloutFailed',
  /** Generic end of a failed execution after NotifyFailure (the original error is in the cause). */
  PipelineFailed: 'PipelineFailed',
  /** A downstream AWS API throttled and retries were exhausted inside the Lambda. */
  Throttled: 'Throttled',
} as const;
export type ErrorName = (typeof ErrorName)[keyof typeof ErrorName];

/** Errors that heal by themselves: retried with capped, fully jittered backoff. */
export const TransientErrors = {
  lambda: [
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.ClientExecutionTimeoutException',
    'Lambda.TooManyRequestsException',
    ErrorName.Throttled,
  ],
  glue: ['Glue.ConcurrentRunsExceededException', 'Glue.ThrottlingException', 'Glue.InternalServiceException', 'Glue.OperationTimeoutException'],
  sageMaker: ['SageMaker.ThrottlingException', 'SageMaker.InternalFailure', 'SageMaker.ServiceUnavailable'],
  athena: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
  sns: ['SNS.ThrottledException', 'SNS.InternalErrorException'],
  applicationAutoScaling: [
    'ApplicationAutoScaling.ConcurrentUpdateException',
    'ApplicationAutoScaling.InternalServiceException',
    'ApplicationAutoScaling.ThrottlingException',
  ],
  eks: ['EKS.ServerException', 'EKS.ServiceUnavailableException', 'EKS.429', 'EKS.500', 'EKS.502', 'EKS.503', 'EKS.504'],
} as const;
