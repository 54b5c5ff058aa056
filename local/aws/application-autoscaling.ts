/**
 * Local Application Auto Scaling for SageMaker endpoint variants: RegisterScalableTarget,
 * PutScalingPolicy and their Describe/Deregister/Delete counterparts, with the API's request
 * and response shapes and error codes (ValidationException, ObjectNotFoundException). Nothing
 * scales locally: targets and policies are recorded in `<stateDir>/application-autoscaling/
 * state.json` so a run, a test or `inspect` can see what AWS would have been told.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../state/atomic-write.js';
import { withStateLock } from '../state/lock.js';
import { AwsServiceError, unsupportedAction, type AwsServiceEmulator } from './emulator.js';
import { RequestValidator, SERVICE_VALIDATION } from './request-validation.js';

export interface ScalableTargetRecord {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  MinCapacity: number;
  MaxCapacity: number;
  RoleARN: string;
  ScalableTargetARN: string;
  CreationTime: string;
  SuspendedState: { DynamicScalingInSuspended: boolean; DynamicScalingOutSuspended: boolean; ScheduledScalingSuspended: boolean };
}

export interface ScalingPolicyRecord {
  PolicyARN: string;
  PolicyName: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  PolicyType: string;
  TargetTrackingScalingPolicyConfiguration: Record<string, unknown>;
  Alarms: Array<{ AlarmName: string; AlarmARN: string }>;
  CreationTime: string;
}

interface AutoScalingState {
  targets: ScalableTargetRecord[];
  policies: ScalingPolicyRecord[];
}

export interface ApplicationAutoScalingEmulatorOptions {
  stateDir: string;
  region?: string;
  accountId?: string;
  /**
   * Whether the SageMaker variant a ResourceId names exists (AWS rejects targets on a missing
   * endpoint or variant). @default every variant exists
   */
  variantExists?: (endpointName: string, variantName: string) => Promise<boolean>;
}

const ACTIONS = ['RegisterScalableTarget', 'DescribeScalableTargets', 'DeregisterScalableTarget', 'PutScalingPolicy', 'DescribeScalingPolicies', 'DeleteScalingPolicy'] as const;

/** Scalable dimensions of the SageMaker namespace (instance-backed and serverless variants). */
const SAGEMAKER_DIMENSIONS = ['sagemaker:variant:DesiredInstanceCount', 'sagemaker:variant:DesiredProvisionedConcurrency'] as const;
const VARIANT_RESOURCE_ID = /^endpoint\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})\/variant\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})$/;
const POLICY_TYPES = ['TargetTrackingScaling', 'StepScaling', 'PredictiveScaling'] as const;
const SAGEMAKER_PREDEFINED_METRICS = ['SageMakerVariantInvocationsPerInstance', 'SageMakerVariantProvisionedConcurrencyUtilization', 'SageMakerInferenceComponentInvocationsPerCopy'];

export function applicationAutoScalingStatePath(stateDir: string): string {
  return join(stateDir, 'application-autoscaling', 'state.json');
}

const autoScaling = new RequestValidator(SERVICE_VALIDATION.applicationAutoScaling);
const validation = (message: string): AwsServiceError => autoScaling.error(message);
const requireString = (input: Record<string, unknown>, member: string): string => autoScaling.requiredString(input, member);
const CAPACITY = { integer: true, min: 0 } as const;

export class ApplicationAutoScalingEmulator implements AwsServiceEmulator {
  readonly service = 'applicationautoscaling';
  readonly actions: readonly string[] = ACTIONS;
  private readonly region: string;
  private readonly accountId: string;

  constructor(private readonly options: ApplicationAutoScalingEmulatorOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
  }

  async call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (action) {
      case 'RegisterScalableTarget':
        return this.registerScalableTarget(input);
      case 'DescribeScalableTargets':
        return this.describeScalableTargets(input);
      case 'DeregisterScalableTarget':
        return this.deregisterScalableTarget(input);
      case 'PutScalingPolicy':
        return this.putScalingPolicy(input);
      case 'DescribeScalingPolicies':
        return this.describeScalingPolicies(input);
      case 'DeleteScalingPolicy':
        return this.deleteScalingPolicy(input);
      default:
        throw unsupportedAction(this.service, action, this.actions);
    }
  }

  /** What has been recorded (for the runner's summary and tests). */
  async state(): Promise<AutoScalingState> {
    try {
      return JSON.parse(await readFile(applicationAutoScalingStatePath(this.options.stateDir), 'utf8')) as AutoScalingState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { targets: [], policies: [] };
      throw error;
    }
  }

  private async update<T>(change: (state: AutoScalingState) => T): Promise<T> {
    return withStateLock(this.options.stateDir, 'application-autoscaling', async () => {
      const state = await this.state();
      const result = change(state);
      await writeJsonAtomic(applicationAutoScalingStatePath(this.options.stateDir), state);
      return result;
    });
  }

  /** ServiceNamespace, ResourceId and ScalableDimension, checked as AWS checks them for SageMaker. */
  private targetKey(input: Record<string, unknown>): { ServiceNamespace: string; ResourceId: string; ScalableDimension: string; endpointName: string; variantName: string } {
    const namespace = requireString(input, 'ServiceNamespace');
    if (namespace !== 'sagemaker') {
      throw validation(`The local Application Auto Scaling emulator serves the sagemaker namespace only, got ServiceNamespace ${JSON.stringify(namespace)}`);
    }
    const resourceId = requireString(input, 'ResourceId');
    const match = VARIANT_RESOURCE_ID.exec(resourceId);
    if (!match) throw validation(`Unsupported resource ID ${JSON.stringify(resourceId)}: expected endpoint/<endpoint-name>/variant/<variant-name>`);
    const dimension = requireString(input, 'ScalableDimension');
    if (!(SAGEMAKER_DIMENSIONS as readonly string[]).includes(dimension)) {
      throw validation(`Unsupported scalable dimension ${JSON.stringify(dimension)} for namespace sagemaker and ${resourceId}: expected one of ${SAGEMAKER_DIMENSIONS.join(', ')}`);
    }
    return { ServiceNamespace: namespace, ResourceId: resourceId, ScalableDimension: dimension, endpointName: match[1]!, variantName: match[2]! };
  }

  private async registerScalableTarget(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { endpointName, variantName, ...key } = this.targetKey(input);
    const min = autoScaling.optionalNumber(input, 'MinCapacity', CAPACITY);
    const max = autoScaling.optionalNumber(input, 'MaxCapacity', CAPACITY);
    if (this.options.variantExists && !(await this.options.variantExists(endpointName, variantName))) {
      throw validation(`Endpoint ${endpointName} or variant ${variantName} does not exist, or the endpoint is not InService`);
    }
    return this.update((state) => {
      const existing = state.targets.find((target) => sameTarget(target, key));
      if (!existing && (min === undefined || max === undefined)) {
        throw validation(`MinCapacity and MaxCapacity are required to register a new scalable target (${key.ResourceId}), got ${JSON.stringify({ MinCapacity: min ?? null, MaxCapacity: max ?? null })}`);
      }
      const minCapacity = min ?? existing!.MinCapacity;
      const maxCapacity = max ?? existing!.MaxCapacity;
      if (minCapacity > maxCapacity) throw validation(`Minimum capacity ${minCapacity} cannot be greater than maximum capacity ${maxCapacity}`);
      if (key.ScalableDimension === 'sagemaker:variant:DesiredInstanceCount' && minCapacity < 1) {
        throw validation(`MinCapacity of ${key.ScalableDimension} must be at least 1, got ${minCapacity}`);
      }
      if (existing) {
        existing.MinCapacity = minCapacity;
        existing.MaxCapacity = maxCapacity;
        return { ScalableTargetARN: existing.ScalableTargetARN };
      }
      const record: ScalableTargetRecord = {
        ...key,
        MinCapacity: minCapacity,
        MaxCapacity: maxCapacity,
        RoleARN: `arn:aws:iam::${this.accountId}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
        ScalableTargetARN: `arn:aws:application-autoscaling:${this.region}:${this.accountId}:scalable-target/${createHash('sha256').update(`${key.ServiceNamespace}|${key.ResourceId}|${key.ScalableDimension}`).digest('hex').slice(0, 32)}`,
        CreationTime: new Date().toISOString(),
        SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
      };
      state.targets.push(record);
      return { ScalableTargetARN: record.ScalableTargetARN };
    });
  }

  private async describeScalableTargets(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const namespace = requireString(input, 'ServiceNamespace');
    const ids = Array.isArray(input.ResourceIds) ? (input.ResourceIds as unknown[]).map(String) : undefined;
    const dimension = typeof input.ScalableDimension === 'string' ? input.ScalableDimension : undefined;
    const { targets } = await this.state();
    return {
      ScalableTargets: targets
        .filter((t) => t.ServiceNamespace === namespace && (ids === undefined || ids.includes(t.ResourceId)) && (dimension === undefined || t.ScalableDimension === dimension))
        .map((t) => ({ ...t, CreationTime: new Date(t.CreationTime) })),
    };
  }

  private async deregisterScalableTarget(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { endpointName: _e, variantName: _v, ...key } = this.targetKey(input);
    return this.update((state) => {
      const index = state.targets.findIndex((target) => sameTarget(target, key));
      if (index < 0) throw new AwsServiceError('ObjectNotFoundException', `No scalable target registered for service namespace: ${key.ServiceNamespace}, resource ID: ${key.ResourceId}, scalable dimension: ${key.ScalableDimension}`);
      state.targets.splice(index, 1);
      // AWS deletes the target's scaling policies with it.
      state.policies = state.policies.filter((policy) => !sameTarget(policy, key));
      return {};
    });
  }

  private async putScalingPolicy(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { endpointName: _e, variantName: _v, ...key } = this.targetKey(input);
    const policyName = autoScaling.requiredString(input, 'PolicyName', { maxLength: 256, pattern: /^[^:]*$/, expected: "must be 1-256 characters without ':'" });
    const policyType = autoScaling.oneOf(typeof input.PolicyType === 'string' ? input.PolicyType : 'StepScaling', POLICY_TYPES, 'PolicyType');
    if (policyType !== 'TargetTrackingScaling') throw validation(`The local emulator records TargetTrackingScaling policies only, got PolicyType ${policyType}`);
    const configuration = input.TargetTrackingScalingPolicyConfiguration;
    if (configuration === null || typeof configuration !== 'object') throw validation('TargetTrackingScalingPolicyConfiguration is required for PolicyType TargetTrackingScaling');
    const trackingConfig = configuration as Record<string, unknown>;
    if (typeof trackingConfig.TargetValue !== 'number' || !(trackingConfig.TargetValue > 0)) {
      throw validation(`TargetTrackingScalingPolicyConfiguration.TargetValue must be a number above 0, got ${JSON.stringify(trackingConfig.TargetValue ?? null)}`);
    }
    const predefined = trackingConfig.PredefinedMetricSpecification as Record<string, unknown> | undefined;
    if (predefined === undefined && trackingConfig.CustomizedMetricSpecification === undefined) {
      throw validation('TargetTrackingScalingPolicyConfiguration needs PredefinedMetricSpecification or CustomizedMetricSpecification');
    }
    if (predefined !== undefined && !SAGEMAKER_PREDEFINED_METRICS.includes(String(predefined.PredefinedMetricType))) {
      throw validation(`PredefinedMetricType ${JSON.stringify(predefined.PredefinedMetricType ?? null)} is not valid for namespace sagemaker: expected one of ${SAGEMAKER_PREDEFINED_METRICS.join(', ')}`);
    }
    for (const cooldown of ['ScaleInCooldown', 'ScaleOutCooldown']) {
      const value = trackingConfig[cooldown];
      if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) throw validation(`${cooldown} must be a whole number of seconds, got ${JSON.stringify(value)}`);
    }
    return this.update((state) => {
      if (!state.targets.some((target) => sameTarget(target, key))) {
        throw new AwsServiceError('ObjectNotFoundException', `No scalable target registered for service namespace: ${key.ServiceNamespace}, resource ID: ${key.ResourceId}, scalable dimension: ${key.ScalableDimension}`);
      }
      const existing = state.policies.find((policy) => policy.PolicyName === policyName && sameTarget(policy, key));
      const id = existing ? /scalingPolicy:([^:]+):/.exec(existing.PolicyARN)![1]! : randomUUID();
      const policyArn = `arn:aws:autoscaling:${this.region}:${this.accountId}:scalingPolicy:${id}:resource/${key.ServiceNamespace}/${key.ResourceId}:policyName/${policyName}`;
      const alarms = ['AlarmHigh', 'AlarmLow'].map((kind) => {
        const alarmName = `TargetTracking-${key.ResourceId}-${kind}-${randomUUID()}`;
        return { AlarmName: alarmName, AlarmARN: `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${alarmName}` };
      });
      const record: ScalingPolicyRecord = {
        PolicyARN: policyArn,
        PolicyName: policyName,
        ...key,
        PolicyType: policyType,
        TargetTrackingScalingPolicyConfiguration: trackingConfig,
        Alarms: alarms,
        CreationTime: existing?.CreationTime ?? new Date().toISOString(),
      };
      state.policies = [...state.policies.filter((policy) => policy !== existing), record];
      return { PolicyARN: policyArn, Alarms: alarms };
    });
  }

  private async describeScalingPolicies(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const namespace = requireString(input, 'ServiceNamespace');
    const names = Array.isArray(input.PolicyNames) ? (input.PolicyNames as unknown[]).map(String) : undefined;
    const resourceId = typeof input.ResourceId === 'string' ? input.ResourceId : undefined;
    const { policies } = await this.state();
    return {
      ScalingPolicies: policies
        .filter((p) => p.ServiceNamespace === namespace && (names === undefined || names.includes(p.PolicyName)) && (resourceId === undefined || p.ResourceId === resourceId))
        .map((p) => ({ ...p, CreationTime: new Date(p.CreationTime) })),
    };
  }

  private async deleteScalingPolicy(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { endpointName: _e, variantName: _v, ...key } = this.targetKey(input);
    const policyName = requireString(input, 'PolicyName');
    return this.update((state) => {
      const before = state.policies.length;
      state.policies = state.policies.filter((policy) => !(policy.PolicyName === policyName && sameTarget(policy, key)));
      if (state.policies.length === before) throw new AwsServiceError('ObjectNotFoundException', `No scaling policy found for service namespace: ${key.ServiceNamespace}, resource ID: ${key.ResourceId}, scalable dimension: ${key.ScalableDimension}, policy name: ${policyName}`);
      return {};
    });
  }
}

function sameTarget(a: { ServiceNamespace: string; ResourceId: string; ScalableDimension: string }, b: { ServiceNamespace: string; ResourceId: string; ScalableDimension: string }): boolean {
  return a.ServiceNamespace === b.ServiceNamespace && a.ResourceId === b.ResourceId && a.ScalableDimension === b.ScalableDimension;
}
