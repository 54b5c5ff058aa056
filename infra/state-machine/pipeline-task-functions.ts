/**
 * The task Lambdas the state machine invokes, with their grants: validate-input (reads raw/,
 * quarantines under quarantine/), ingest-features (reads gold/, PutRecord into the feature group,
 * failure reports under ingestion/) and evaluate-model (reads gold/ and artifacts, writes its
 * report under evaluation/, reads the registry, publishes its metrics).
 */
import { Duration, type Stack, aws_iam as iam, type aws_lambda as lambda, type aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import type { PipelineConfig } from '../../workflow/config.js';
import { CUSTOMER_FEATURE_GROUP, TaskFunction } from '../../workflow/resource-names.js';
import { RAW_PREFIX } from '../../workflow/s3-layout.js';
import { METRICS_NAMESPACE, TaskEnv } from '../../workflow/task-environment.js';
import type { ZoneBuckets } from '../data-lake/zone-buckets.js';
import type { TaskFunctionFactory } from '../drift/drift-detection.js';
import { acknowledgeFindings, arnFinding, bucketObjects } from '../nag-acknowledgements.js';

export interface PipelineTaskFunctionsProps {
  config: PipelineConfig;
  buckets: Pick<ZoneBuckets, 'raw' | 'silver' | 'gold' | 'artifacts'>;
  modelPackageGroup: sagemaker.CfnModelPackageGroup;
  taskFunction: TaskFunctionFactory;
}

export interface PipelineTaskFunctions {
  validateInput: lambda.Function;
  ingestFeatures: lambda.Function;
  evaluateModel: lambda.Function;
}

/** `stack` formats the ARNs; the functions are created by `taskFunction` (in the stack's scope). */
export function createPipelineTaskFunctions(stack: Stack, props: PipelineTaskFunctionsProps): PipelineTaskFunctions {
  const { config, taskFunction } = props;
  const { raw, silver, gold, artifacts } = props.buckets;
  const bucketEnv = {
    [TaskEnv.RawBucket]: raw.bucketName,
    [TaskEnv.SilverBucket]: silver.bucketName,
    [TaskEnv.GoldBucket]: gold.bucketName,
    [TaskEnv.ArtifactsBucket]: artifacts.bucketName,
  };
  // A .csv.gz is inflated whole (streamed, tasks/core/validate-input/gzip-integrity.ts): up to
  // maxObjectBytes of gzip takes minutes, so this function gets one full vCPU (1,769 MB) and 10 min.
  const validateInput = taskFunction(
    'ValidateInputFunction',
    TaskFunction.ValidateInput,
    {
      ...bucketEnv,
      [TaskEnv.MaxObjectBytes]: String(config.validation.maxObjectBytes),
      [TaskEnv.SampleRows]: String(config.validation.sampleRows),
    },
    Duration.minutes(10),
    1769,
  );
  raw.grantRead(validateInput, `${RAW_PREFIX}*`);
  raw.grantPut(validateInput, 'quarantine/*');
  acknowledgeFindings(validateInput, {
    [bucketObjects(raw, 'raw/')]: 'validate-input reads any object under raw/ (the run names it)',
    [bucketObjects(raw, 'quarantine/')]: 'rejected files are copied under quarantine/<runId>/',
  });
  const ingestFeatures = taskFunction(
    'IngestFeaturesFunction',
    TaskFunction.IngestFeatures,
    {
      ...bucketEnv,
      [TaskEnv.FeatureGroupName]: CUSTOMER_FEATURE_GROUP,
      [TaskEnv.IngestConcurrency]: String(config.ingestion.concurrency),
      [TaskEnv.IngestMaxAttempts]: String(config.ingestion.maxAttempts),
    },
    Duration.minutes(15),
    1024,
  );
  gold.grantRead(ingestFeatures, 'gold/*');
  artifacts.grantPut(ingestFeatures, 'ingestion/*');
  acknowledgeFindings(ingestFeatures, {
    [bucketObjects(gold, 'gold/')]: 'reads the customer_features/ files of the run under gold/',
    [bucketObjects(artifacts, 'ingestion/')]: 'writes failed-record reports under ingestion/run_id=<runId>/',
  });
  ingestFeatures.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['sagemaker:PutRecord'],
      resources: [stack.formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: CUSTOMER_FEATURE_GROUP })],
    }),
  );
  const evaluateModel = taskFunction('EvaluateModelFunction', TaskFunction.EvaluateModel, { ...bucketEnv, [TaskEnv.ModelPackageGroupName]: config.modelPackageGroupName }, Duration.minutes(5), 1024);
  gold.grantRead(evaluateModel, 'gold/*');
  // Reads transform output and the approved model's report; writes only its report, deletes nothing.
  artifacts.grantRead(evaluateModel);
  artifacts.grantPut(evaluateModel, 'evaluation/*');
  evaluateModel.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['sagemaker:ListModelPackages', 'sagemaker:DescribeModelPackage'],
      resources: [props.modelPackageGroup.attrModelPackageGroupArn, stack.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${config.modelPackageGroupName}/*` })],
    }),
  );
  evaluateModel.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } } }));
  acknowledgeFindings(evaluateModel, {
    [bucketObjects(gold, 'gold/')]: 'reads the test labels of the run under gold/',
    [bucketObjects(artifacts)]: 'reads transform output of the run and the approved model\'s report (any run)',
    [bucketObjects(artifacts, 'evaluation/')]: 'writes the model-quality report under evaluation/run_id=<runId>/',
    [arnFinding(stack, 'sagemaker', `model-package/${config.modelPackageGroupName}/*`)]: 'DescribeModelPackage on the versions of the one model package group',
  });
  return { validateInput, ingestFeatures, evaluateModel };
}
