/**
 * The pricesense state machine as typed CDK code: a pure builder that wires the states of
 * DESIGN.md to resources passed in by the caller and creates no resources of its own (only
 * state constructs). JSONata throughout; the `run` variable (validate-input's RunContext)
 * carries every name and URI the later states need, so tasks pass S3 URIs, never data.
 *
 * Each stage lives in workflow/stages/ (one file per stage); this file holds the props and
 * wires the stages in order.
 */
import { aws_eks as eks, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_s3 as s3, aws_sns as sns, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { PipelineConfig } from './config.js';
import { buildDataQualityStage } from './stages/data-quality.js';
import { buildEtlStage } from './stages/etl.js';
import { buildFailurePath } from './stages/failure-path.js';
import { buildGateAndRegistryStage } from './stages/gate-and-registry.js';
import { buildIngestAndTrainStage } from './stages/ingest-and-train.js';
import { buildRolloutStage } from './stages/rollout-choice.js';
import { stageContext } from './stages/shared.js';
import { buildSuccessPath } from './stages/success-path.js';
import { buildScoringStage } from './stages/training-and-scoring.js';
import { buildValidationStage } from './stages/validation.js';

export { EKS_MODEL_PACKAGE_ANNOTATION, EKS_MODEL_URI_ANNOTATION } from './stages/eks-rollout.js';
export { servingModelNameExpression } from './stages/endpoint-rollout.js';
export { REGISTER_CLIENT_TOKEN, rolloutTargetOf } from './stages/gate-and-registry.js';
export { Variable } from './stages/shared.js';

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

export function buildPipelineDefinition(scope: Construct, props: PipelineDefinitionProps): PipelineDefinition {
  // 0. the failure path every guarded state ends in
  const { notifyFailure } = buildFailurePath(scope, props.topic);
  const context = stageContext(scope, props, notifyFailure);
  // 1-2. validate input, ETL
  const validation = buildValidationStage(context);
  const etl = buildEtlStage(context);
  // 4-5 before 3: the data-quality gate goes on to feature ingestion and training, side by side.
  const ingestAndTrain = buildIngestAndTrainStage(context);
  const dataQuality = buildDataQualityStage(context, ingestAndTrain.start);
  // 6. scoring, evaluation; 7. metric gate and registry
  const scoring = buildScoringStage(context);
  const gateAndRegistry = buildGateAndRegistryStage(context);
  // 9. success, 8. rollout (which ends in success)
  const notifySuccess = buildSuccessPath(context);
  const rollout = buildRolloutStage(context, notifySuccess);

  validation.end.next(etl.start);
  etl.end.next(dataQuality.start);
  ingestAndTrain.end.next(scoring.start);
  scoring.end.next(gateAndRegistry.start);
  gateAndRegistry.end.next(rollout.start);

  const startState = validation.start;
  const policyStatements = [...dataQuality.policyStatements, ...ingestAndTrain.policyStatements, ...scoring.policyStatements, ...rollout.policyStatements];
  return { definitionBody: sfn.DefinitionBody.fromChainable(startState), startState, policyStatements };
}
