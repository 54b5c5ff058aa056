/**
 * The pricesense state machine as typed CDK code: a pure builder that wires the states of
 * DESIGN.md to resources passed in by the caller and creates no resources of its own (only
 * state constructs). JSONata throughout; the `run` variable (validate-input's RunContext)
 * carries every name and URI the later states need, so tasks pass S3 URIs, never data.
 */
import { customerMetadataValue } from './customer-metadata.js';
import { Duration, Stack, aws_eks as eks, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_s3 as s3, aws_sns as sns, aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApprovalMode, DeployTarget, type PipelineConfig } from './config.js';
import { jsonata, literal, orDefault, runPathExpression, runValueExpressions } from './jsonata.js';
import { dataQualityThresholds } from './data-quality-parameters.js';
import { EVALUATION_VARIABLE, metricGateCause, metricGateCondition } from './metric-gate.js';
import { ErrorName, StateName } from './names.js';
import { GlueJobArgument } from './resource-names.js';
import { catchToFailure, FAILURE_VARIABLE, guard, RetryPolicies, retryProps } from './retry-policies.js';
import { ATHENA_RESULTS_PREFIX, artifactPaths, goldPaths } from './s3-layout.js';
import { MODEL_NAME_PREFIX, SERVING_MODEL_NAME_PREFIX } from './job-names.js';
import { buildEndpointScaling, ENDPOINT_VARIANT_NAME } from './endpoint-scaling.js';
import { buildTuningStates } from './tuning-job.js';
import { buildExperimentRecord } from './experiment-record.js';

export interface PipelineDefinitionProps {
  config: PipelineConfig;
  functions: { validateInput: lambda.IFunction; ingestFeatures: lambda.IFunction; evaluateModel: lambda.IFunction };
  goldBucket: s3.IBucket;
  artifactsBucket: s3.IBucket;
  glueJobNames: { rawToSilver: string; silverToGold: string };
  /** The SQL of `glue-scripts/sql/data_quality.sql` (one row per rule: rule, measured, passed). */
  dataQualitySql: string;
  /** Athena ExecutionParameters for a run id (local/etl/data-quality.ts dataQualityExecutionParameters). */
  dataQualityExecutionParameters: (runId: string) => string[];
  athenaWorkGroup: string;
  athenaDatabase: string;
  topic: sns.ITopic;
  featureGroupName: string;
  modelPackageGroupName: string;
  /** Role SageMaker assumes for training, transform and hosting. */
  sageMakerRole: iam.IRole;
  xgboostImageUri: string;
  /** Encrypts training volumes/outputs, transform output and endpoint storage. */
  kmsKey: kms.IKey;
  /** Alarms that roll a blue/green endpoint update back. */
  rollbackAlarmNames: string[];
  /** Existing cluster for the EKS rollout; omitted → no EKS branch. */
  eksCluster?: eks.ICluster;
  /** Private subnets and security group of training, transform and instance-backed hosting (config `network`). @default - SageMaker-managed network */
  sageMakerVpcConfig?: { SecurityGroupIds: string[]; Subnets: string[] };
}

export interface PipelineDefinition {
  definitionBody: sfn.DefinitionBody;
  startState: sfn.IChainable;
  /** IAM statements the Tasks written as CustomState need on the state machine role. */
  policyStatements: iam.PolicyStatement[];
}

/** Variables assigned along the way (JSONata `$name`). */
export const Variable = {
  Run: 'run',
  DataQueryId: 'dataQualityQueryId',
  DataQuality: 'dataQuality',
  Training: 'training',
  Evaluation: EVALUATION_VARIABLE,
  Model: 'model',
  RolloutTarget: 'rolloutTarget',
  Endpoint: 'endpointState',
  EksRollout: 'eksRollout',
  EksPolls: 'eksPolls',
  EndpointPolls: 'endpointPolls',
  Failure: FAILURE_VARIABLE,
} as const;

/** Where the rollout goes once a model is registered: manual approval means no rollout. */
export function rolloutTargetOf(config: PipelineConfig): DeployTarget {
  return config.approvalMode === ApprovalMode.Manual ? DeployTarget.None : config.deployTarget;
}

/** Gold keys relative to the run's gold root (`run.goldUri`). */
function goldRelative(select: (paths: ReturnType<typeof goldPaths>) => string): string {
  const paths = goldPaths('r');
  return select(paths).slice(paths.root.length);
}

const goldUri = (select: (paths: ReturnType<typeof goldPaths>) => string) => `$run.goldUri & ${literal(goldRelative(select))}`;

/**
 * `-r<n>` on the n-th redrive, empty before: SageMaker never reuses a job name, so a job that failed
 * is created again under a new one (see REDRIVE_SUFFIX_ROOM in job-names.ts).
 */
const REDRIVE_SUFFIX = `($states.context.Execution.RedriveCount > 0 ? '-r' & $string($states.context.Execution.RedriveCount) : '')`;

export function buildPipelineDefinition(scope: Construct, props: PipelineDefinitionProps): PipelineDefinition {
  const { config } = props;
  const stack = Stack.of(scope);
  const artifactsRoot = `'s3://' & ${literal(props.artifactsBucket.bucketName)} & '/'`;
  const artifactUri = (select: (paths: ReturnType<typeof artifactPaths>) => string, trainingJob = '$run.trainingJobName') => {
    const expression = runPathExpression((runId) => select(artifactPaths(runId, 'TRAININGJOBPLACEHOLDER')));
    return `${artifactsRoot} & ${expression.replace(/TRAININGJOBPLACEHOLDER/g, `" & ${trainingJob} & "`)}`;
  };
  const sageMakerArn = (resource: string) => stack.formatArn({ service: 'sagemaker', resource, arnFormat: undefined });
  const policyStatements: iam.PolicyStatement[] = [];

  // --- failure path ---------------------------------------------------------------------------
  const pipelineFailed = sfn.Fail.jsonata(scope, StateName.PipelineFailed, {
    stateName: StateName.PipelineFailed,
    comment: 'Ends a failed run with the original error and cause (NotifyFailure has already been sent).',
    error: jsonata(`$${Variable.Failure}.error ? $${Variable.Failure}.error : ${literal(ErrorName.PipelineFailed)}`),
    cause: jsonata(
      `$${Variable.Failure}.cause ? $${Variable.Failure}.cause : ('State ' & $${Variable.Failure}.state & ' failed with ' & $${Variable.Failure}.error)`,
    ),
  });
  const notifyFailure = tasks.SnsPublish.jsonata(scope, StateName.NotifyFailure, {
    stateName: StateName.NotifyFailure,
    comment: 'Tells the operators which state failed, with the error and cause.',
    topic: props.topic,
    subject: 'pricesense run failed',
    message: sfn.TaskInput.fromText(
      jsonata(
        `$string({'status': 'FAILED', 'execution': $states.context.Execution.Id, 'runId': $states.context.Execution.Name, 'failedState': $${Variable.Failure}.state, 'error': $${Variable.Failure}.error, 'cause': $${Variable.Failure}.cause})`,
      ),
    ),
  });
  notifyFailure.addRetry(retryProps(RetryPolicies.sns));
  // A failed notification must not hide the original error: go on to PipelineFailed unchanged.
  notifyFailure.addCatch(pipelineFailed, { errors: [sfn.Errors.ALL] });
  notifyFailure.next(pipelineFailed);

  // --- 1. validate input ---------------------------------------------------------------------
  const validateInput = tasks.LambdaInvoke.jsonata(scope, StateName.ValidateInput, {
    stateName: StateName.ValidateInput,
    comment: 'Accepts {bucket, key} or an S3 Object Created event, checks the raw CSV and names the run.',
    lambdaFunction: props.functions.validateInput,
    payload: sfn.TaskInput.fromObject({ input: jsonata('$states.input'), executionName: jsonata('$states.context.Execution.Name') }),
    retryOnServiceExceptions: false,
    assign: { [Variable.Run]: jsonata('$states.result.Payload') },
    outputs: jsonata('$states.result.Payload'),
  });
  // InvalidExecutionInput / RawObjectNotFound / InvalidRawFile are not in the retry list.
  guard(validateInput, StateName.ValidateInput, RetryPolicies.lambda, notifyFailure);

  // --- 2. ETL ----------------------------------------------------------------------------------
  const glueArguments = sfn.TaskInput.fromObject({
    [GlueJobArgument.RunId]: jsonata('$run.runId'),
    [GlueJobArgument.RawUri]: jsonata(`'s3://' & $run.bucket & '/' & $run.key`),
    [GlueJobArgument.SilverUri]: jsonata('$run.silverUri'),
    [GlueJobArgument.GoldUri]: jsonata('$run.goldUri'),
  });
  const glueStep = (stateName: StateName, jobName: string, comment: string) =>
    guard(
      withRetry(tasks.GlueStartJobRun.jsonata(scope, stateName, {
        stateName,
        comment,
        glueJobName: jobName,
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
        arguments: glueArguments,
        taskTimeout: sfn.Timeout.duration(Duration.minutes(config.glue.timeoutMinutes)),
        outputs: { jobRunId: jsonata('$states.result.Id'), state: jsonata('$states.result.JobRunState'), executionTime: jsonata(orDefault('$states.result.ExecutionTime')) },
      }), RetryPolicies.glueConcurrentRuns),
      stateName,
      RetryPolicies.glue,
      notifyFailure,
    );
  const rawToSilver = glueStep(StateName.RawToSilver, props.glueJobNames.rawToSilver, 'Glue: types, cleans and deduplicates the raw CSV into silver Parquet.');
  const silverToGold = glueStep(StateName.SilverToGold, props.glueJobNames.silverToGold, 'Glue: one row per basket, features, split, XGBoost CSV and customer features.');

  // --- 3. data quality -----------------------------------------------------------------------
  // Written as the optimized Athena integration directly (not CDK's Athena tasks, which grant
  // s3 and athena:getQueryResults on "*"): the policies below name the workgroup, the catalog,
  // the one table and the workgroup's result prefix.
  const checkDataQuality = guard(
    new sfn.CustomState(scope, StateName.CheckDataQuality, {
      stateJson: {
        Type: 'Task',
        Comment: 'Athena: evaluates every data-quality rule on this run\'s gold baskets.',
        Resource: `arn:${stack.partition}:states:::athena:startQueryExecution.sync`,
        Arguments: {
          QueryString: props.dataQualitySql,
          QueryExecutionContext: { Catalog: ATHENA_CATALOG, Database: props.athenaDatabase },
          // The workgroup enforces its result location and encryption.
          WorkGroup: props.athenaWorkGroup,
          ExecutionParameters: runValueExpressions(props.dataQualityExecutionParameters),
        },
        Assign: { [Variable.DataQueryId]: jsonata('$states.result.QueryExecution.QueryExecutionId') },
      },
    }),
    StateName.CheckDataQuality,
    RetryPolicies.athena,
    notifyFailure,
  );
  const readDataQuality = guard(
    new sfn.CustomState(scope, StateName.ReadDataQualityResults, {
      stateJson: {
        Type: 'Task',
        Comment: 'Reads one row per rule: rule, measured, passed (header row skipped); the threshold comes from the configuration.',
        Resource: `arn:${stack.partition}:states:::athena:getQueryResults`,
        Arguments: { QueryExecutionId: jsonata(`$${Variable.DataQueryId}`) },
        Assign: {
          [Variable.DataQuality]: jsonata(
            `[$filter($states.result.ResultSet.Rows, function($row, $i) { $i > 0 }).{'rule': Data[0].VarCharValue, 'measured': Data[1].VarCharValue, 'threshold': $string($lookup(${JSON.stringify(dataQualityThresholds(config.dataQuality))}, Data[0].VarCharValue)), 'passed': Data[2].VarCharValue = 'true'}]`,
          ),
        },
        Output: jsonata('$states.result.ResultSet.ResultSetMetadata'),
      },
    }),
    StateName.ReadDataQualityResults,
    RetryPolicies.athena,
    notifyFailure,
  );
  policyStatements.push(...athenaPolicies(stack, props));
  const dataQualityFailed = sfn.Fail.jsonata(scope, StateName.DataQualityFailed, {
    stateName: StateName.DataQualityFailed,
    comment: 'Gold breaches a data-quality rule: nothing is trained, registered or deployed.',
    error: ErrorName.DataQualityFailed,
    cause: jsonata(
      `$count($${Variable.DataQuality}) = 0 ? 'The data-quality query returned no rules' : 'Data-quality rules breached: ' & $join($${Variable.DataQuality}[passed = false].(rule & ' measured ' & measured & ' (threshold ' & threshold & ')'), '; ')`,
    ),
  });

  // --- 4. feature ingestion ------------------------------------------------------------------
  const ingestFeatureFile = tasks.LambdaInvoke.jsonata(scope, StateName.IngestFeatureFile, {
    stateName: StateName.IngestFeatureFile,
    comment: 'Writes one batch of customer-feature files to the feature group (batched PutRecord).',
    lambdaFunction: props.functions.ingestFeatures,
    payload: sfn.TaskInput.fromObject({
      featureGroupName: props.featureGroupName,
      Items: jsonata('$states.input.Items'),
      BatchInput: jsonata('$states.input.BatchInput'),
    }),
    retryOnServiceExceptions: false,
    outputs: jsonata('$states.result.Payload'),
  });
  ingestFeatureFile.addRetry(retryProps(RetryPolicies.lambda));
  const ingestFeatures = sfn.DistributedMap.jsonata(scope, StateName.IngestFeatures, {
    stateName: StateName.IngestFeatures,
    comment: 'Distributed Map over the run\'s customer_features/ files in gold.',
    itemReader: new sfn.S3ObjectsItemReader({
      bucket: props.goldBucket,
      prefix: jsonata(runPathExpression((runId) => goldPaths(runId).customerFeatures)),
    }),
    itemBatcher: new sfn.ItemBatcher({
      maxItemsPerBatch: config.ingestion.filesPerBatch,
      batchInput: { bucket: props.goldBucket.bucketName, eventTime: jsonata('$states.context.Execution.StartTime') },
    }),
    maxConcurrency: config.ingestion.maxConcurrentFiles,
    toleratedFailurePercentage: 0,
    mapExecutionType: sfn.StateMachineType.STANDARD,
    outputs: {
      // No customer_features files → an empty result, and $sum of nothing is nothing, not 0.
      recordsWritten: jsonata('$sum([$states.result.recordsWritten])'),
      recordsFailed: jsonata('$sum([$states.result.recordsFailed])'),
    },
  });
  // No ProcessorConfig: a DistributedMap renders Mode DISTRIBUTED and ExecutionType from
  // mapExecutionType itself (a config's executionType is ignored with a synth warning).
  ingestFeatures.itemProcessor(ingestFeatureFile);
  ingestFeatures.addCatch(notifyFailure, { errors: [sfn.Errors.ALL], assign: failureAssign(StateName.IngestFeatures) });

  const dataQualityGate = sfn.Choice.jsonata(scope, StateName.DataQualityGate, {
    stateName: StateName.DataQualityGate,
    comment: 'Passes when the query returned rules and every rule passed.',
  })
    .when(sfn.Condition.jsonata(jsonata(`$count($${Variable.DataQuality}) > 0 and $count($${Variable.DataQuality}[passed = false]) = 0`)), ingestFeatures)
    .otherwise(dataQualityFailed);

  // --- 5-6. training, scoring, evaluation ------------------------------------------------------
  const image = props.xgboostImageUri;
  const training = config.training;
  const hyperparameters = Object.fromEntries(Object.entries(training.hyperparameters).map(([name, value]) => [name, String(value)]));
  const csvChannel = (name: string, uri: string) => ({
    ChannelName: name,
    ContentType: 'text/csv',
    CompressionType: 'None',
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: jsonata(uri), S3DataDistributionType: 'FullyReplicated' } },
  });
  const trainingArguments = {
    TrainingJobName: jsonata(`$run.trainingJobName & ${REDRIVE_SUFFIX}`),
    AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
    RoleArn: props.sageMakerRole.roleArn,
    HyperParameters: hyperparameters,
    InputDataConfig: [csvChannel('train', goldUri((p) => p.train)), csvChannel('validation', goldUri((p) => p.validation))],
    OutputDataConfig: { S3OutputPath: jsonata(artifactUri((p) => p.trainingOutput)), KmsKeyId: props.kmsKey.keyArn },
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
      ? { EnableManagedSpotTraining: true, CheckpointConfig: { S3Uri: jsonata(artifactUri((p) => p.checkpoints, `($run.trainingJobName & ${REDRIVE_SUFFIX})`)) } }
      : { EnableManagedSpotTraining: false }),
    EnableNetworkIsolation: true,
    ...(props.sageMakerVpcConfig ? { VpcConfig: props.sageMakerVpcConfig } : {}),
    Tags: [{ Key: 'pricesense:run-id', Value: jsonata('$run.runId') }],
  };
  let trainModel: { start: sfn.State; end: sfn.CustomState };
  if (training.tuning.enabled) {
    // Automatic model tuning in place of the one training job; assigns the same $training.
    const tuning = buildTuningStates(scope, {
      training,
      trainingArguments,
      sageMakerRoleArn: props.sageMakerRole.roleArn,
      notifyFailure,
      sageMakerArn,
    });
    trainModel = tuning;
    policyStatements.push(...tuning.policyStatements);
  } else {
    const trainOnce = new sfn.CustomState(scope, StateName.TrainModel, {
      stateJson: {
        Type: 'Task',
        Comment: 'SageMaker built-in XGBoost 1.7 on the gold train/validation CSV (managed spot when configured).',
        Resource: `arn:${stack.partition}:states:::sagemaker:createTrainingJob.sync`,
        Arguments: trainingArguments,
        Assign: {
          [Variable.Training]: {
            jobName: jsonata('$states.result.TrainingJobName'),
            modelDataUrl: jsonata('$states.result.ModelArtifacts.S3ModelArtifacts'),
            billableSeconds: jsonata(orDefault('$states.result.BillableTimeInSeconds')),
            hyperparameters: jsonata('$states.result.HyperParameters'),
            validationMetrics: jsonata(`[$states.result.FinalMetricDataList.{'name': MetricName, 'value': Value}]`),
          },
        },
        Output: { trainingJobStatus: jsonata('$states.result.TrainingJobStatus') },
      },
    });
    guard(trainOnce, StateName.TrainModel, RetryPolicies.sageMaker, notifyFailure);
    trainOnce.addRetry(retryProps(RetryPolicies.sageMakerGeneric));
    trainModel = { start: trainOnce, end: trainOnce };
    policyStatements.push(
      ...syncJobPolicies(stack, sageMakerArn, 'training-job/ps-train-*', ['CreateTrainingJob', 'DescribeTrainingJob', 'StopTrainingJob'], 'StepFunctionsGetEventsForSageMakerTrainingJobsRule'),
    );
  }

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
  guard(createModel, StateName.CreateModel, RetryPolicies.sageMaker, notifyFailure);
  createModel.addRetry(retryProps(RetryPolicies.sageMakerGeneric));
  policyStatements.push(
    new iam.PolicyStatement({ actions: ['sagemaker:CreateModel', 'sagemaker:AddTags'], resources: [sageMakerArn('model/ps-model-*')] }),
  );

  const transformOutput = artifactUri((p) => p.transformOutput);
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
      reportUri: jsonata(artifactUri((p) => p.evaluationReport)),
      modelPackageGroupName: props.modelPackageGroupName,
    }),
    retryOnServiceExceptions: false,
    assign: { [Variable.Evaluation]: jsonata('$states.result.Payload') },
    outputs: jsonata('$states.result.Payload.metrics'),
  });
  guard(evaluateModel, StateName.EvaluateModel, RetryPolicies.lambda, notifyFailure);

  const recordExperiment = buildExperimentRecord(scope, {
    artifactsBucket: props.artifactsBucket,
    tuningEnabled: training.tuning.enabled,
    notifyFailure,
  });
  policyStatements.push(...recordExperiment.policyStatements);

  // --- 7. gate and registry ------------------------------------------------------------------
  const modelBelowThreshold = sfn.Fail.jsonata(scope, StateName.ModelBelowThreshold, {
    stateName: StateName.ModelBelowThreshold,
    comment: 'The model missed a metric threshold: nothing is registered or deployed.',
    error: ErrorName.ModelBelowThreshold,
    cause: jsonata(metricGateCause(config.thresholds)),
  });
  const rolloutTarget = rolloutTargetOf(config);
  const approved = config.approvalMode === ApprovalMode.Auto;
  const registerModel = tasks.CallAwsService.jsonata(scope, StateName.RegisterModel, {
    stateName: StateName.RegisterModel,
    comment: `Registers the model version (${approved ? 'Approved' : 'PendingManualApproval'}) with its metrics and lineage.`,
    service: 'sagemaker',
    action: 'createModelPackage',
    iamResources: [sageMakerArn(`model-package-group/${props.modelPackageGroupName}`), sageMakerArn(`model-package/${props.modelPackageGroupName}/*`)],
    parameters: {
      ModelPackageGroupName: props.modelPackageGroupName,
      // Idempotency per execution: a retried or redriven RegisterModel (same execution ARN) gets
      // the version it already created instead of a second one. SageMaker takes 1-36 characters
      // of [a-zA-Z0-9-], hence a cut hash of the ARN.
      ClientToken: jsonata(REGISTER_CLIENT_TOKEN),
      ModelPackageDescription: jsonata(`'pricesense run ' & $run.runId`),
      ModelApprovalStatus: approved ? 'Approved' : 'PendingManualApproval',
      InferenceSpecification: {
        Containers: [{ Image: image, ModelDataUrl: jsonata(`$${Variable.Training}.modelDataUrl`) }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
        SupportedRealtimeInferenceInstanceTypes: [config.endpoint.instanceType],
        SupportedTransformInstanceTypes: [config.transformInstanceType],
      },
      ModelMetrics: {
        ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: jsonata(`$${Variable.Evaluation}.reportUri`) } },
      },
      // Values sanitized to SageMaker's pattern and length (workflow/customer-metadata.ts): a raw key
      // like `raw/week (1)&final.csv` would otherwise fail RegisterModel after training.
      CustomerMetadataProperties: {
        executionArn: jsonata(customerMetadataValue('$states.context.Execution.Id')),
        dataObject: jsonata(customerMetadataValue(`'s3://' & $run.bucket & '/' & $run.key`)),
        trainingJob: jsonata(customerMetadataValue(`$${Variable.Training}.jobName`)),
        runId: jsonata(customerMetadataValue('$run.runId')),
      },
    },
    assign: {
      [Variable.Model]: { packageArn: jsonata('$states.result.ModelPackageArn'), approvalStatus: approved ? 'Approved' : 'PendingManualApproval' },
      [Variable.RolloutTarget]: rolloutTarget,
    },
  });
  guard(registerModel, StateName.RegisterModel, RetryPolicies.sageMaker, notifyFailure);
  registerModel.addRetry(retryProps(RetryPolicies.sageMakerSdkGeneric));

  const metricGate = sfn.Choice.jsonata(scope, StateName.MetricGate, {
    stateName: StateName.MetricGate,
    comment: `Accuracy >= ${config.thresholds.accuracy}, macro F1 >= ${config.thresholds.macroF1}, every class precision >= ${config.thresholds.classPrecision}.`,
  })
    .when(sfn.Condition.jsonata(jsonata(metricGateCondition(config.thresholds))), registerModel)
    .otherwise(modelBelowThreshold);

  // --- 9. success ----------------------------------------------------------------------------
  const pipelineSucceeded = sfn.Succeed.jsonata(scope, StateName.PipelineSucceeded, { stateName: StateName.PipelineSucceeded });
  const servedBy =
    rolloutTarget === DeployTarget.Endpoint
      ? `'SageMaker endpoint ' & ${literal(config.endpointName)}`
      : rolloutTarget === DeployTarget.Eks
        ? `'EKS deployment ' & ${literal(`${config.eks.clusterName}/${config.eks.namespace}/${config.eks.deploymentName}`)}`
        : approved
          ? `'not deployed (deployTarget none)'`
          : `'not deployed (pending manual approval)'`;
  const notifySuccess = tasks.SnsPublish.jsonata(scope, StateName.NotifySuccess, {
    stateName: StateName.NotifySuccess,
    comment: 'Reports the metrics, the registered model version and where it is served.',
    topic: props.topic,
    subject: 'pricesense run succeeded',
    message: sfn.TaskInput.fromText(
      jsonata(
        `$string({'status': 'SUCCEEDED', 'execution': $states.context.Execution.Id, 'runId': $run.runId, 'metrics': $${Variable.Evaluation}.metrics, 'modelPackageArn': $${Variable.Model}.packageArn, 'approvalStatus': $${Variable.Model}.approvalStatus, 'servedBy': ${servedBy}})`,
      ),
    ),
    outputs: {
      runId: jsonata('$run.runId'),
      metrics: jsonata(`$${Variable.Evaluation}.metrics`),
      modelPackageArn: jsonata(`$${Variable.Model}.packageArn`),
      servedBy: jsonata(servedBy),
    },
  });
  guard(notifySuccess, StateName.NotifySuccess, RetryPolicies.sns, notifyFailure);
  notifySuccess.next(pipelineSucceeded);

  // --- 8. rollout ----------------------------------------------------------------------------
  const rolloutFailed = sfn.Pass.jsonata(scope, StateName.RolloutFailed, {
    stateName: StateName.RolloutFailed,
    comment: 'The endpoint or EKS rollout failed, was rolled back or did not finish in time.',
  });
  rolloutFailed.next(notifyFailure);

  const chooseRollout = sfn.Choice.jsonata(scope, StateName.ChooseRolloutTarget, {
    stateName: StateName.ChooseRolloutTarget,
    comment: 'endpoint | eks | none (manual approval never rolls out).',
  });
  chooseRollout.when(
    sfn.Condition.jsonata(jsonata(`$${Variable.RolloutTarget} = ${literal(DeployTarget.Endpoint)}`)),
    buildEndpointRollout(scope, props, { sageMakerArn, notifyFailure, notifySuccess, rolloutFailed, policyStatements }),
  );
  if (props.eksCluster) {
    chooseRollout.when(
      sfn.Condition.jsonata(jsonata(`$${Variable.RolloutTarget} = ${literal(DeployTarget.Eks)}`)),
      buildEksRollout(scope, props, props.eksCluster, { notifyFailure, notifySuccess, rolloutFailed }),
    );
  }
  chooseRollout.otherwise(notifySuccess);

  const startState = sfn.Chain.start(validateInput)
    .next(rawToSilver)
    .next(silverToGold)
    .next(checkDataQuality)
    .next(readDataQuality)
    .next(dataQualityGate);
  ingestFeatures.next(trainModel.start);
  trainModel.end.next(createModel);
  createModel.next(scoreTestSplit);
  scoreTestSplit.next(evaluateModel);
  evaluateModel.next(recordExperiment.state);
  recordExperiment.state.next(metricGate);
  registerModel.next(chooseRollout);

  return { definitionBody: sfn.DefinitionBody.fromChainable(startState), startState, policyStatements };
}

/** RegisterModel's CreateModelPackage ClientToken: the same for every attempt and redrive of one execution. */
export const REGISTER_CLIENT_TOKEN = "$substring($hash($states.context.Execution.Id, 'SHA-256'), 0, 36)";

/** Adds a retrier ahead of the ones guard() adds (Step Functions uses the first that matches). */
function withRetry<T extends sfn.TaskStateBase>(state: T, policy: Parameters<typeof retryProps>[0]): T {
  state.addRetry(retryProps(policy));
  return state;
}

function failureAssign(stateName: string): Record<string, unknown> {
  return catchToFailure(stateName).assign!;
}

/** Athena's default Glue Data Catalog. */
const ATHENA_CATALOG = 'AwsDataCatalog';

/**
 * What StartQueryExecution (.sync: plus GetQueryExecution/StopQueryExecution) and
 * GetQueryResults need, scoped: the workgroup, the catalog, the database and its tables, and the
 * workgroup's result prefix. The gold objects the query reads and the KMS key are granted by the
 * stack (the state machine also lists gold for the Distributed Map).
 */
function athenaPolicies(stack: Stack, props: PipelineDefinitionProps): iam.PolicyStatement[] {
  const glueArn = (resource: string) => stack.formatArn({ service: 'glue', resource, arnFormat: undefined });
  const results = `${ATHENA_RESULTS_PREFIX}*`;
  return [
    new iam.PolicyStatement({
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryResults'],
      resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.athenaWorkGroup })],
    }),
    new iam.PolicyStatement({
      actions: ['athena:GetDataCatalog'],
      resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: ATHENA_CATALOG })],
    }),
    new iam.PolicyStatement({
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
      resources: [glueArn('catalog'), glueArn(`database/${props.athenaDatabase}`), glueArn(`table/${props.athenaDatabase}/*`)],
    }),
    new iam.PolicyStatement({
      actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
      resources: [props.artifactsBucket.bucketArn],
    }),
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [props.artifactsBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [ATHENA_RESULTS_PREFIX, results] } },
    }),
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [props.artifactsBucket.arnForObjects(results)],
    }),
  ];
}

/** Least privilege for a `.sync` SageMaker job: the job API on its name prefix and the managed rule Step Functions polls with. */
function syncJobPolicies(stack: Stack, sageMakerArn: (resource: string) => string, jobResource: string, actions: string[], ruleName: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: [...actions.map((action) => `sagemaker:${action}`), 'sagemaker:AddTags'], resources: [sageMakerArn(jobResource)] }),
    new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: ruleName })],
    }),
  ];
}

interface RolloutLinks {
  notifyFailure: sfn.IChainable;
  notifySuccess: sfn.IChainable;
  rolloutFailed: sfn.IChainable;
}

function rolloutFailure(state: string, cause: string): Record<string, unknown> {
  return { [FAILURE_VARIABLE]: { state, error: ErrorName.RolloutFailed, cause: jsonata(cause) } };
}

function buildEndpointRollout(
  scope: Construct,
  props: PipelineDefinitionProps,
  links: RolloutLinks & { sageMakerArn: (resource: string) => string; policyStatements: iam.PolicyStatement[] },
): sfn.IChainable {
  const { config } = props;
  const endpointName = config.endpointName;
  const serverless = config.endpoint.serverless;
  const stack = Stack.of(scope);
  const servingModel = servingModelNameExpression();
  const endpointArn = links.sageMakerArn(`endpoint/${endpointName.toLowerCase()}`);
  const sageMakerCall = (stateName: StateName, action: string, iamAction: string, iamResources: string[], parameters: Record<string, unknown>, comment: string, extra: Partial<tasks.CallAwsServiceJsonataProps> = {}) =>
    tasks.CallAwsService.jsonata(scope, stateName, { stateName, comment, service: 'sagemaker', action, iamAction, iamResources, parameters, ...extra });

  // Lineage: the endpoint serves a model made from the registered package version, so
  // DescribeModel (and the local endpoint) names the registry version it serves.
  const createServingModel = new sfn.CustomState(scope, StateName.CreateServingModel, {
    stateJson: {
      Type: 'Task',
      Comment: 'SageMaker model from the registered model package version (what the endpoint serves).',
      Resource: `arn:${stack.partition}:states:::sagemaker:createModel`,
      Arguments: {
        ModelName: jsonata(servingModel),
        ExecutionRoleArn: props.sageMakerRole.roleArn,
        PrimaryContainer: { ModelPackageName: jsonata(`$${Variable.Model}.packageArn`) },
        // Serverless inference does not support network isolation.
        EnableNetworkIsolation: serverless === undefined,
        // Serverless endpoints cannot be placed in a VPC.
        ...(props.sageMakerVpcConfig && serverless === undefined ? { VpcConfig: props.sageMakerVpcConfig } : {}),
        Tags: [
          { Key: 'pricesense:run-id', Value: jsonata('$run.runId') },
          { Key: 'pricesense:model-package-arn', Value: jsonata(`$${Variable.Model}.packageArn`) },
        ],
      },
      Output: { modelArn: jsonata('$states.result.ModelArn') },
    },
  });
  guard(createServingModel, StateName.CreateServingModel, RetryPolicies.sageMaker, links.notifyFailure);
  createServingModel.addRetry(retryProps(RetryPolicies.sageMakerGeneric));
  links.policyStatements.push(
    new iam.PolicyStatement({ actions: ['sagemaker:CreateModel', 'sagemaker:AddTags'], resources: [links.sageMakerArn(`model/${SERVING_MODEL_NAME_PREFIX}-*`)] }),
    new iam.PolicyStatement({ actions: ['sagemaker:DescribeModelPackage'], resources: [links.sageMakerArn(`model-package/${props.modelPackageGroupName}/*`)] }),
  );

  const variant = serverless
    ? {
        VariantName: ENDPOINT_VARIANT_NAME,
        ModelName: jsonata(servingModel),
        ServerlessConfig: { MemorySizeInMB: serverless.memorySizeInMb, MaxConcurrency: serverless.maxConcurrency },
      }
    : {
        VariantName: ENDPOINT_VARIANT_NAME,
        ModelName: jsonata(servingModel),
        InitialInstanceCount: config.endpoint.initialInstanceCount,
        InstanceType: config.endpoint.instanceType,
      };
  const createEndpointConfig = sageMakerCall(
    StateName.CreateEndpointConfig,
    'createEndpointConfig',
    'sagemaker:CreateEndpointConfig',
    [links.sageMakerArn('endpoint-config/ps-epc-*')],
    {
      EndpointConfigName: jsonata('$run.endpointConfigName'),
      // The key encrypts the ML storage volume of instances; serverless endpoints have none.
      ...(serverless ? {} : { KmsKeyId: props.kmsKey.keyArn }),
      ProductionVariants: [variant],
      Tags: [{ Key: 'pricesense:run-id', Value: jsonata('$run.runId') }],
    },
    serverless
      ? `Endpoint config for the serving model (variant ${ENDPOINT_VARIANT_NAME}, serverless ${serverless.memorySizeInMb} MB, up to ${serverless.maxConcurrency} concurrent).`
      : `Endpoint config for the serving model (variant ${ENDPOINT_VARIANT_NAME}, KMS-encrypted storage).`,
    {
      assign: { [Variable.EndpointPolls]: 0 },
      additionalIamStatements: [
        new iam.PolicyStatement({ actions: ['sagemaker:AddTags'], resources: [links.sageMakerArn('endpoint-config/ps-epc-*')] }),
        new iam.PolicyStatement({ actions: ['kms:CreateGrant', 'kms:DescribeKey'], resources: [props.kmsKey.keyArn] }),
      ],
    },
  );
  guard(createEndpointConfig, StateName.CreateEndpointConfig, RetryPolicies.sageMaker, links.notifyFailure);
  createEndpointConfig.addRetry(retryProps(RetryPolicies.sageMakerSdkGeneric));

  const endpointState = {
    [Variable.Endpoint]: {
      status: jsonata('$states.result.EndpointStatus'),
      // Both optional in DescribeEndpointOutput: FailureReason only after a failure.
      configName: jsonata(orDefault('$states.result.EndpointConfigName')),
      failureReason: jsonata(orDefault('$states.result.FailureReason')),
    },
  };
  const findEndpoint = sageMakerCall(
    StateName.FindEndpoint,
    'describeEndpoint',
    'sagemaker:DescribeEndpoint',
    [endpointArn],
    { EndpointName: endpointName },
    'Does the endpoint exist yet? Not found → CreateEndpoint; Failed → delete and create again; else blue/green UpdateEndpoint.',
    { assign: endpointState },
  );
  const createEndpoint = sageMakerCall(
    StateName.CreateEndpoint,
    'createEndpoint',
    'sagemaker:CreateEndpoint',
    // AWS authorizes CreateEndpoint on the endpoint and on the endpoint config it names (D2).
    [endpointArn, links.sageMakerArn('endpoint-config/ps-epc-*')],
    { EndpointName: endpointName, EndpointConfigName: jsonata('$run.endpointConfigName') },
    'First deployment: creates the endpoint.',
    {
      // The deletion loop of a Failed endpoint may have counted polls: the creation gets its own.
      assign: { [Variable.EndpointPolls]: 0 },
      additionalIamStatements: [new iam.PolicyStatement({ actions: ['sagemaker:AddTags'], resources: [endpointArn] })],
    },
  );
  // CreateEndpoint reads the new config eventually consistently: a not-found right after
  // CreateEndpointConfig heals, so the generic SageMaker error is retried here (bounded).
  createEndpoint.addRetry(retryProps({ ...RetryPolicies.sageMaker, errors: ['SageMaker.AmazonSageMakerException', 'SageMaker.ResourceNotFound', ...RetryPolicies.sageMaker.errors] }));

  const updateEndpoint = sageMakerCall(
    StateName.UpdateEndpoint,
    'updateEndpoint',
    'sagemaker:UpdateEndpoint',
    [endpointArn, links.sageMakerArn('endpoint-config/ps-epc-*')],
    {
      EndpointName: endpointName,
      EndpointConfigName: jsonata('$run.endpointConfigName'),
      // Deployment guardrails exist for instance-backed endpoints only; a serverless endpoint is
      // updated in place.
      ...(config.endpoint.serverless
        ? {}
        : {
            DeploymentConfig: {
              BlueGreenUpdatePolicy: {
                TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 },
                TerminationWaitInSeconds: config.endpoint.terminationWaitMinutes * 60,
              },
              AutoRollbackConfiguration: { Alarms: props.rollbackAlarmNames.map((name) => ({ AlarmName: name })) },
            },
          }),
    },
    config.endpoint.serverless
      ? 'Serverless endpoint: updated in place to the new config.'
      : 'Blue/green update, all at once, rolled back automatically when a rollback alarm fires.',
  );
  guard(updateEndpoint, StateName.UpdateEndpoint, RetryPolicies.sageMaker, links.notifyFailure);
  updateEndpoint.addRetry(retryProps(RetryPolicies.sageMakerSdkGeneric));

  findEndpoint.addRetry(retryProps(RetryPolicies.sageMakerLookup));
  // A missing endpoint is a ValidationException ("Could not find endpoint"), which SDK
  // integrations may surface under the SDK's generic exception for unmodeled error codes.
  // A missing endpoint is a ValidationException ("Could not find endpoint ..."), which SDK
  // integrations may surface under a generic exception name; only that message means "create it":
  // throttling or access denied under the same names must not send the run to CreateEndpoint.
  const isEndpointMissing = sfn.Choice.jsonata(scope, StateName.IsEndpointMissing, {
    stateName: StateName.IsEndpointMissing,
    comment: 'FindEndpoint failed: create the endpoint only if it does not exist, otherwise report the error.',
  });
  isEndpointMissing.when(sfn.Condition.jsonata(jsonata(`$contains($string($${FAILURE_VARIABLE}.cause), 'Could not find endpoint')`)), createEndpoint).otherwise(links.notifyFailure);
  findEndpoint.addCatch(isEndpointMissing, {
    errors: ['SageMaker.AmazonSageMakerException', 'SageMaker.SageMakerException', 'SageMaker.ValidationException', 'SageMaker.ResourceNotFound'],
    assign: failureAssign(StateName.FindEndpoint),
  });
  findEndpoint.addCatch(links.notifyFailure, { errors: [sfn.Errors.ALL], assign: failureAssign(StateName.FindEndpoint) });

  // A Failed endpoint cannot be updated (nor brought back): SageMaker's remedy is to delete it and
  // create it again. A run killed during CreateEndpoint (or a create that failed) leaves one, and
  // without this branch every later run would register a version and then fail at UpdateEndpoint.
  const missingEndpointErrors = ['SageMaker.AmazonSageMakerException', 'SageMaker.SageMakerException', 'SageMaker.ValidationException', 'SageMaker.ResourceNotFound'];
  const deleteFailedEndpoint = sageMakerCall(
    StateName.DeleteFailedEndpoint,
    'deleteEndpoint',
    'sagemaker:DeleteEndpoint',
    [endpointArn],
    { EndpointName: endpointName },
    'The endpoint is Failed and cannot be updated: delete it, wait until it is gone, then create it again.',
    { assign: { [Variable.EndpointPolls]: 0 } },
  );
  deleteFailedEndpoint.addRetry(retryProps(RetryPolicies.sageMakerLookup));
  // Gone already (a redriven deletion): create it.
  deleteFailedEndpoint.addCatch(isEndpointMissing, { errors: missingEndpointErrors, assign: failureAssign(StateName.DeleteFailedEndpoint) });
  deleteFailedEndpoint.addCatch(links.notifyFailure, { errors: [sfn.Errors.ALL], assign: failureAssign(StateName.DeleteFailedEndpoint) });
  const waitForEndpointDeletion = sfn.Wait.jsonata(scope, StateName.WaitForEndpointDeletion, {
    stateName: StateName.WaitForEndpointDeletion,
    comment: `Polls every ${config.endpoint.pollSeconds} s, at most ${config.endpoint.maxPolls} times, until the endpoint is gone.`,
    time: sfn.WaitTime.duration(Duration.seconds(config.endpoint.pollSeconds)),
    assign: { [Variable.EndpointPolls]: jsonata(`$${Variable.EndpointPolls} + 1`) },
  });
  const describeDeletingEndpoint = sageMakerCall(
    StateName.DescribeDeletingEndpoint,
    'describeEndpoint',
    'sagemaker:DescribeEndpoint',
    [endpointArn],
    { EndpointName: endpointName },
    'Is the endpoint gone? "Could not find endpoint" → CreateEndpoint.',
    { assign: endpointState },
  );
  describeDeletingEndpoint.addRetry(retryProps(RetryPolicies.sageMakerLookup));
  describeDeletingEndpoint.addCatch(isEndpointMissing, { errors: missingEndpointErrors, assign: failureAssign(StateName.DescribeDeletingEndpoint) });
  describeDeletingEndpoint.addCatch(links.notifyFailure, { errors: [sfn.Errors.ALL], assign: failureAssign(StateName.DescribeDeletingEndpoint) });
  const checkEndpointDeleted = sfn.Choice.jsonata(scope, StateName.CheckEndpointDeleted, {
    stateName: StateName.CheckEndpointDeleted,
    comment: 'Still Deleting → wait; anything else, or too many polls → RolloutFailed.',
  })
    .when(
      sfn.Condition.jsonata(jsonata(`$${Variable.Endpoint}.status != 'Deleting' or $${Variable.EndpointPolls} >= ${config.endpoint.maxPolls}`)),
      links.rolloutFailed,
      {
        assign: rolloutFailure(
          StateName.CheckEndpointDeleted,
          `'Endpoint ${endpointName} was Failed and is being deleted, but is ' & $${Variable.Endpoint}.status & ' after ' & $string($${Variable.EndpointPolls}) & ' polls'`,
        ),
      },
    )
    .otherwise(waitForEndpointDeletion);
  const isEndpointFailed = sfn.Choice.jsonata(scope, StateName.IsEndpointFailed, {
    stateName: StateName.IsEndpointFailed,
    comment: 'A Failed endpoint cannot be updated: delete it and create it again; otherwise update it blue/green.',
  })
    .when(sfn.Condition.jsonata(jsonata(`$${Variable.Endpoint}.status = 'Failed'`)), deleteFailedEndpoint)
    .otherwise(updateEndpoint);
  deleteFailedEndpoint.next(waitForEndpointDeletion);
  waitForEndpointDeletion.next(describeDeletingEndpoint);
  describeDeletingEndpoint.next(checkEndpointDeleted);

  const waitForEndpoint = sfn.Wait.jsonata(scope, StateName.WaitForEndpoint, {
    stateName: StateName.WaitForEndpoint,
    comment: `Polls every ${config.endpoint.pollSeconds} s, at most ${config.endpoint.maxPolls} times.`,
    time: sfn.WaitTime.duration(Duration.seconds(config.endpoint.pollSeconds)),
    assign: { [Variable.EndpointPolls]: jsonata(`$${Variable.EndpointPolls} + 1`) },
  });
  // A redrive re-runs CreateEndpoint when the run died after SageMaker accepted the call but
  // before the state recorded it: the endpoint exists (Creating or InService on this run's
  // config), so wait for it as after a create; CheckEndpointStatus reports any other config.
  const isEndpointAlreadyCreated = sfn.Choice.jsonata(scope, StateName.IsEndpointAlreadyCreated, {
    stateName: StateName.IsEndpointAlreadyCreated,
    comment: 'CreateEndpoint failed: an endpoint that already exists (a redriven create) is polled like a new one; other errors are reported.',
  });
  isEndpointAlreadyCreated
    .when(sfn.Condition.jsonata(jsonata(`$contains($string($${FAILURE_VARIABLE}.cause), 'Cannot create already existing endpoint')`)), waitForEndpoint)
    .otherwise(links.notifyFailure);
  createEndpoint.addCatch(isEndpointAlreadyCreated, {
    errors: missingEndpointErrors,
    assign: { ...failureAssign(StateName.CreateEndpoint), [Variable.EndpointPolls]: 0 },
  });
  createEndpoint.addCatch(links.notifyFailure, { errors: [sfn.Errors.ALL], assign: failureAssign(StateName.CreateEndpoint) });

  const describeEndpoint = sageMakerCall(
    StateName.DescribeEndpoint,
    'describeEndpoint',
    'sagemaker:DescribeEndpoint',
    [endpointArn],
    { EndpointName: endpointName },
    'Reads the endpoint status and the config it serves.',
    { assign: endpointState },
  );
  guard(describeEndpoint, StateName.DescribeEndpoint, RetryPolicies.sageMakerLookup, links.notifyFailure);

  // Instance-backed endpoints get autoscaling once InService; SageMaker scales serverless ones itself.
  let inService: sfn.IChainable = links.notifySuccess;
  if (!serverless) {
    const scaling = buildEndpointScaling(scope, { endpointName, endpoint: config.endpoint, notifyFailure: links.notifyFailure });
    scaling.end.next(links.notifySuccess);
    links.policyStatements.push(...scaling.policyStatements);
    inService = scaling.start;
  }

  const isNewConfig = `$${Variable.Endpoint}.configName = $run.endpointConfigName`;
  const checkEndpointStatus = sfn.Choice.jsonata(scope, StateName.CheckEndpointStatus, {
    stateName: StateName.CheckEndpointStatus,
    comment: 'InService on the new config → success; Failed, rolled back or too many polls → RolloutFailed; else wait.',
  })
    .when(sfn.Condition.jsonata(jsonata(`$${Variable.Endpoint}.status = 'InService' and ${isNewConfig}`)), inService)
    .when(
      sfn.Condition.jsonata(
        jsonata(
          `$${Variable.Endpoint}.status in ['Failed', 'UpdateRollbackFailed'] or ($${Variable.Endpoint}.status = 'InService' and $not(${isNewConfig})) or $${Variable.EndpointPolls} >= ${config.endpoint.maxPolls}`,
        ),
      ),
      links.rolloutFailed,
      {
        assign: rolloutFailure(
          StateName.CheckEndpointStatus,
          `'Endpoint ${endpointName} is ' & $${Variable.Endpoint}.status & ' serving ' & $${Variable.Endpoint}.configName & ' (expected ' & $run.endpointConfigName & ') after ' & $string($${Variable.EndpointPolls}) & ' polls' & ($${Variable.Endpoint}.failureReason ? ': ' & $${Variable.Endpoint}.failureReason : '')`,
        ),
      },
    )
    .otherwise(waitForEndpoint);

  createEndpoint.next(waitForEndpoint);
  updateEndpoint.next(waitForEndpoint);
  waitForEndpoint.next(describeEndpoint);
  describeEndpoint.next(checkEndpointStatus);
  findEndpoint.next(isEndpointFailed);
  createEndpointConfig.next(findEndpoint);
  createServingModel.next(createEndpointConfig);
  return createServingModel;
}

/**
 * The serving model's name: the run's model name with its prefix swapped (equal length), i.e.
 * `servingModelName(executionName)` of workflow/job-names.ts, within SageMaker's 63 characters.
 */
export function servingModelNameExpression(modelNameExpression = '$run.modelName'): string {
  return `${literal(`${SERVING_MODEL_NAME_PREFIX}-`)} & $substring(${modelNameExpression}, ${MODEL_NAME_PREFIX.length + 1})`;
}

/** Annotation on the pod template the serving manifests read through the downward API. */
export const EKS_MODEL_URI_ANNOTATION = 'pricesense.io/model-data-url';
export const EKS_MODEL_PACKAGE_ANNOTATION = 'pricesense.io/model-package-arn';

function buildEksRollout(scope: Construct, props: PipelineDefinitionProps, cluster: eks.ICluster, links: RolloutLinks): sfn.IChainable {
  const { eks: eksConfig } = props.config;
  const path = `/apis/apps/v1/namespaces/${eksConfig.namespace}/deployments/${eksConfig.deploymentName}`;
  // Only pod-template annotations change, so the patch is the same under JSON merge and
  // strategic merge semantics and never replaces the container list.
  const patchDeployment = tasks.EksCall.jsonata(scope, StateName.PatchEksDeployment, {
    stateName: StateName.PatchEksDeployment,
    comment: `Points ${eksConfig.namespace}/${eksConfig.deploymentName} at the new model (pod-template annotations → rolling update).`,
    cluster,
    httpMethod: tasks.HttpMethods.PATCH,
    httpPath: path,
    requestBody: sfn.TaskInput.fromObject({
      spec: {
        template: {
          metadata: {
            annotations: {
              [EKS_MODEL_URI_ANNOTATION]: jsonata(`$${Variable.Training}.modelDataUrl`),
              [EKS_MODEL_PACKAGE_ANNOTATION]: jsonata(`$${Variable.Model}.packageArn`),
            },
          },
        },
      },
    }),
    assign: { [Variable.EksPolls]: 0 },
  });
  guard(patchDeployment, StateName.PatchEksDeployment, RetryPolicies.eks, links.notifyFailure);

  const waitForRollout = sfn.Wait.jsonata(scope, StateName.WaitForEksRollout, {
    stateName: StateName.WaitForEksRollout,
    comment: `Polls every ${eksConfig.pollSeconds} s, at most ${eksConfig.maxPolls} times.`,
    time: sfn.WaitTime.duration(Duration.seconds(eksConfig.pollSeconds)),
    assign: { [Variable.EksPolls]: jsonata(`$${Variable.EksPolls} + 1`) },
  });
  const readRollout = tasks.EksCall.jsonata(scope, StateName.ReadEksRollout, {
    stateName: StateName.ReadEksRollout,
    comment: 'Reads the Deployment status.',
    cluster,
    httpMethod: tasks.HttpMethods.GET,
    httpPath: path,
    // The API server omits status counters while they are 0 and observedGeneration until the
    // controller has seen the Deployment; spec.replicas defaults to 1.
    assign: {
      [Variable.EksRollout]: {
        generation: jsonata(orDefault('$states.result.ResponseBody.metadata.generation', '0')),
        observedGeneration: jsonata(orDefault('$states.result.ResponseBody.status.observedGeneration', '0')),
        desired: jsonata(orDefault('$states.result.ResponseBody.spec.replicas', '1')),
        replicas: jsonata(orDefault('$states.result.ResponseBody.status.replicas', '0')),
        updated: jsonata(orDefault('$states.result.ResponseBody.status.updatedReplicas', '0')),
        available: jsonata(orDefault('$states.result.ResponseBody.status.availableReplicas', '0')),
      },
    },
  });
  guard(readRollout, StateName.ReadEksRollout, RetryPolicies.eks, links.notifyFailure);

  const r = `$${Variable.EksRollout}`;
  const checkRollout = sfn.Choice.jsonata(scope, StateName.CheckEksRollout, {
    stateName: StateName.CheckEksRollout,
    comment: 'Done when every replica is updated and available for the observed generation (kubectl rollout status).',
  })
    .when(
      sfn.Condition.jsonata(
        jsonata(`${r}.observedGeneration >= ${r}.generation and ${r}.updated = ${r}.desired and ${r}.replicas = ${r}.desired and ${r}.available = ${r}.desired`),
      ),
      links.notifySuccess,
    )
    .when(sfn.Condition.jsonata(jsonata(`$${Variable.EksPolls} >= ${eksConfig.maxPolls}`)), links.rolloutFailed, {
      assign: rolloutFailure(
        StateName.CheckEksRollout,
        `'Deployment ${eksConfig.namespace}/${eksConfig.deploymentName} did not finish rolling out after ' & $string($${Variable.EksPolls}) & ' polls: ' & $string(${r})`,
      ),
    })
    .otherwise(waitForRollout);

  patchDeployment.next(waitForRollout);
  waitForRollout.next(readRollout);
  readRollout.next(checkRollout);
  return patchDeployment;
}
