/**
 * Stage 7, gate and registry: the metric gate compares `$evaluation` with the configured
 * thresholds (ModelBelowThreshold ends the run), then RegisterModel creates the model package
 * version (Approved, or PendingManualApproval) with its metrics and lineage and sets `$model` and
 * `$rolloutTarget`.
 */
import { aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks } from 'aws-cdk-lib';
import { ApprovalMode, DeployTarget, type PipelineConfig } from '../config.js';
import { customerMetadataValue } from '../customer-metadata.js';
import { jsonata } from '../jsonata.js';
import { metricGateCause, metricGateCondition } from '../metric-gate.js';
import { ErrorName, StateName } from '../names.js';
import { guard, RetryPolicies, retryProps } from '../retry-policies.js';
import { type StageContext, type StageFragment, Variable } from './shared.js';

/** RegisterModel's CreateModelPackage ClientToken: the same for every attempt and redrive of one execution. */
export const REGISTER_CLIENT_TOKEN = "$substring($hash($states.context.Execution.Id, 'SHA-256'), 0, 36)";

/** Where the rollout goes once a model is registered: manual approval means no rollout. */
export function rolloutTargetOf(config: PipelineConfig): DeployTarget {
  return config.approvalMode === ApprovalMode.Manual ? DeployTarget.None : config.deployTarget;
}

export function buildGateAndRegistryStage({ scope, props, config, sageMakerArn, notifyFailure }: StageContext): StageFragment<tasks.CallAwsService> {
  const modelBelowThreshold = sfn.Fail.jsonata(scope, StateName.ModelBelowThreshold, {
    stateName: StateName.ModelBelowThreshold,
    comment: 'The model missed a metric threshold: nothing is registered or deployed.',
    error: ErrorName.ModelBelowThreshold,
    cause: jsonata(metricGateCause(config.thresholds)),
  });
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
        Containers: [{ Image: props.xgboostImageUri, ModelDataUrl: jsonata(`$${Variable.Training}.modelDataUrl`) }],
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
      [Variable.RolloutTarget]: rolloutTargetOf(config),
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
  return { start: metricGate, end: registerModel, policyStatements: [] };
}
