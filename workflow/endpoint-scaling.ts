/**
 * Autoscaling of the endpoint's production variant once a rollout is InService: Application
 * Auto Scaling RegisterScalableTarget (instance count range) then PutScalingPolicy (target
 * tracking on invocations per instance), both SDK integrations with IAM scoped to the
 * SageMaker namespace and this endpoint's target-tracking alarms. Both calls are idempotent
 * (same target, same policy name), so every rollout re-applies the configured values.
 */
import { ArnFormat, Stack, aws_iam as iam, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EndpointConfig } from './config.js';
import { StateName } from './names.js';
import { jsonata, orDefault } from './jsonata.js';
import { guard, RetryPolicies } from './retry-policies.js';

/** The one production variant of every endpoint config the pipeline writes. */
export const ENDPOINT_VARIANT_NAME = 'AllTraffic';
export const SCALING_POLICY_NAME = 'pricesense-invocations-per-instance';
export const SAGEMAKER_SCALABLE_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';
export const INVOCATIONS_PER_INSTANCE_METRIC = 'SageMakerVariantInvocationsPerInstance';

/** Application Auto Scaling's ResourceId of the variant: `endpoint/<name>/variant/<variant>`. */
export function endpointScalingResourceId(endpointName: string, variantName = ENDPOINT_VARIANT_NAME): string {
  return `endpoint/${endpointName}/variant/${variantName}`;
}

export interface EndpointScalingProps {
  endpointName: string;
  endpoint: EndpointConfig;
  notifyFailure: sfn.IChainable;
}

export interface EndpointScaling {
  start: sfn.IChainable;
  end: sfn.INextable;
  /** For the state machine role (the Tasks are CustomStates, so CDK adds none). */
  policyStatements: iam.PolicyStatement[];
}

export function buildEndpointScaling(scope: Construct, props: EndpointScalingProps): EndpointScaling {
  const stack = Stack.of(scope);
  const { endpoint } = props;
  const target = {
    ServiceNamespace: 'sagemaker',
    ResourceId: endpointScalingResourceId(props.endpointName),
    ScalableDimension: SAGEMAKER_SCALABLE_DIMENSION,
  };
  const sdkTask = (stateName: StateName, action: string, comment: string, parameters: Record<string, unknown>, output: Record<string, string>) =>
    guard(
      new sfn.CustomState(scope, stateName, {
        stateJson: {
          Type: 'Task',
          Comment: comment,
          Resource: `arn:${stack.partition}:states:::aws-sdk:applicationautoscaling:${action}`,
          Arguments: parameters,
          Output: output,
        },
      }),
      stateName,
      RetryPolicies.applicationAutoScaling,
      props.notifyFailure,
    );

  const registerScalableTarget = sdkTask(
    StateName.RegisterScalableTarget,
    'registerScalableTarget',
    `Autoscaling range of variant ${ENDPOINT_VARIANT_NAME}: ${endpoint.minInstances}-${endpoint.maxInstances} instances.`,
    { ...target, MinCapacity: endpoint.minInstances, MaxCapacity: endpoint.maxInstances },
    { scalableTargetArn: jsonata(orDefault('$states.result.ScalableTargetARN')) },
  );
  const putScalingPolicy = sdkTask(
    StateName.PutScalingPolicy,
    'putScalingPolicy',
    `Target tracking: ${endpoint.targetInvocationsPerInstance} invocations per instance per minute.`,
    {
      ...target,
      PolicyName: SCALING_POLICY_NAME,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: endpoint.targetInvocationsPerInstance,
        PredefinedMetricSpecification: { PredefinedMetricType: INVOCATIONS_PER_INSTANCE_METRIC },
        ScaleInCooldown: endpoint.scaleInCooldownSeconds,
        ScaleOutCooldown: endpoint.scaleOutCooldownSeconds,
      },
    },
    { policyArn: jsonata('$states.result.PolicyARN') },
  );
  registerScalableTarget.next(putScalingPolicy);
  return { start: registerScalableTarget, end: putScalingPolicy, policyStatements: endpointScalingPolicies(stack, props.endpointName) };
}

/**
 * Scalable-target ARNs carry a generated id, not the endpoint name, so the target is scoped by
 * the service-namespace and scalable-dimension condition keys instead.
 */
function scalableTargetArn(stack: Stack): string {
  return stack.formatArn({ service: 'application-autoscaling', resource: 'scalable-target', resourceName: '*', arnFormat: undefined });
}

/**
 * What the two calls need (AWS: "Identity-based policies for SageMaker autoscaling"): the two
 * actions limited to SageMaker variant instance counts, the endpoint they act on, the
 * service-linked role the first registration creates, and the target-tracking alarms.
 */
export function endpointScalingPolicies(stack: Stack, endpointName: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['application-autoscaling:RegisterScalableTarget', 'application-autoscaling:PutScalingPolicy'],
      resources: [scalableTargetArn(stack)],
      conditions: {
        StringEquals: { 'application-autoscaling:service-namespace': 'sagemaker', 'application-autoscaling:scalable-dimension': SAGEMAKER_SCALABLE_DIMENSION },
      },
    }),
    // Registration reads the variant; scaling later changes its instance count through this API.
    new iam.PolicyStatement({
      actions: ['sagemaker:DescribeEndpoint', 'sagemaker:DescribeEndpointConfig', 'sagemaker:UpdateEndpointWeightsAndCapacities'],
      resources: [
        stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: endpointName.toLowerCase() }),
        stack.formatArn({ service: 'sagemaker', resource: 'endpoint-config', resourceName: 'ps-epc-*' }),
      ],
    }),
    new iam.PolicyStatement({
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
      ],
      conditions: { StringLike: { 'iam:AWSServiceName': 'sagemaker.application-autoscaling.amazonaws.com' } },
    }),
    // Target tracking creates and replaces its alarms with the caller's permissions; their names start with the ResourceId.
    new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms'],
      resources: [
        stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `TargetTracking-${endpointScalingResourceId(endpointName)}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
    }),
  ];
}
