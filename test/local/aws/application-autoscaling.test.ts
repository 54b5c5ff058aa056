import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApplicationAutoScalingEmulator } from '../../../local/aws/application-autoscaling.js';

const target = { ServiceNamespace: 'sagemaker', ResourceId: 'endpoint/pricesense/variant/AllTraffic', ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' };
const trackingPolicy = {
  ...target,
  PolicyName: 'pricesense-invocations-per-instance',
  PolicyType: 'TargetTrackingScaling',
  TargetTrackingScalingPolicyConfiguration: {
    TargetValue: 6000,
    PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
    ScaleInCooldown: 300,
    ScaleOutCooldown: 60,
  },
};

let stateDir: string;
let emulator: ApplicationAutoScalingEmulator;

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'pricesense-aas-'));
  emulator = new ApplicationAutoScalingEmulator({ stateDir, variantExists: async (endpoint, variant) => endpoint === 'pricesense' && variant === 'AllTraffic' });
});

afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

describe('ApplicationAutoScalingEmulator', () => {
  it('records a registered SageMaker variant target with its capacity range', async () => {
    const registered = await emulator.call('RegisterScalableTarget', { ...target, MinCapacity: 1, MaxCapacity: 4 });

    const described = await emulator.call('DescribeScalableTargets', { ServiceNamespace: 'sagemaker' });
    expect(registered.ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]{32}$/);
    expect(described.ScalableTargets).toEqual([expect.objectContaining({ ...target, MinCapacity: 1, MaxCapacity: 4, ScalableTargetARN: registered.ScalableTargetARN })]);
  });

  it('updates the range when the same target is registered again, keeping its ARN', async () => {
    const first = await emulator.call('RegisterScalableTarget', { ...target, MinCapacity: 1, MaxCapacity: 4 });

    const second = await emulator.call('RegisterScalableTarget', { ...target, MinCapacity: 2, MaxCapacity: 8 });

    const { ScalableTargets } = await emulator.call('DescribeScalableTargets', { ServiceNamespace: 'sagemaker' });
    expect(second.ScalableTargetARN).toBe(first.ScalableTargetARN);
    expect(ScalableTargets).toEqual([expect.objectContaining({ MinCapacity: 2, MaxCapacity: 8 })]);
  });

  it('rejects a target on an endpoint variant that does not exist with ValidationException', async () => {
    const call = emulator.call('RegisterScalableTarget', { ...target, ResourceId: 'endpoint/other/variant/AllTraffic', MinCapacity: 1, MaxCapacity: 2 });

    await expect(call).rejects.toMatchObject({ name: 'ValidationException', message: 'Endpoint other or variant AllTraffic does not exist, or the endpoint is not InService' });
  });

  it('rejects a minimum above the maximum, naming both', async () => {
    const call = emulator.call('RegisterScalableTarget', { ...target, MinCapacity: 5, MaxCapacity: 2 });

    await expect(call).rejects.toMatchObject({ name: 'ValidationException', message: 'Minimum capacity 5 cannot be greater than maximum capacity 2' });
  });

  it('rejects a ResourceId that is not endpoint/<name>/variant/<name>', async () => {
    const call = emulator.call('RegisterScalableTarget', { ...target, ResourceId: 'pricesense/AllTraffic', MinCapacity: 1, MaxCapacity: 2 });

    await expect(call).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Unsupported resource ID "pricesense/AllTraffic": expected endpoint/<endpoint-name>/variant/<variant-name>',
    });
  });

  it('answers PutScalingPolicy with the policy ARN and the two target-tracking alarms', async () => {
    await emulator.call('RegisterScalableTarget', { ...target, MinCapacity: 1, MaxCapacity: 4 });

    const put = await emulator.call('PutScalingPolicy', trackingPolicy);

    expect(put.PolicyARN).toMatch(
      /^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:resource\/sagemaker\/endpoint\/pricesense\/variant\/AllTraffic:policyName\/pricesense-invocations-per-instance$/,
    );
    expect((put.Alarms as Array<{ AlarmName: string }>).map((alarm) => alarm.AlarmName.replace(/-[0-9a-f-]{36}$/, ''))).toEqual([
      'TargetTracking-endpoint/pricesense/variant/AllTraffic-AlarmHigh',
      'TargetTracking-endpoint/pricesense/variant/AllTraffic-AlarmLow',
    ]);
  });

  it('records the target-tracking configuration, replacing a policy of the same name', async () => {
    await emulator.call('RegisterScalableTarget', { ...target, MinCapacity: 1, MaxCapacity: 4 });
    const first = await emulator.call('PutScalingPolicy', trackingPolicy);

    const second = await emulator.call('PutScalingPolicy', { ...trackingPolicy, TargetTrackingScalingPolicyConfiguration: { ...trackingPolicy.TargetTrackingScalingPolicyConfiguration, TargetValue: 3000 } });

    const { ScalingPolicies } = await emulator.call('DescribeScalingPolicies', { ServiceNamespace: 'sagemaker' });
    expect(second.PolicyARN).toBe(first.PolicyARN);
    expect(ScalingPolicies).toEqual([expect.objectContaining({ PolicyName: 'pricesense-invocations-per-instance', TargetTrackingScalingPolicyConfiguration: expect.objectContaining({ TargetValue: 3000 }) })]);
  });

  it('rejects a policy on an unregistered target with ObjectNotFoundException', async () => {
    const call = emulator.call('PutScalingPolicy', trackingPolicy);

    await expect(call).rejects.toMatchObject({
      name: 'ObjectNotFoundException',
      message: 'No scalable target registered for service namespace: sagemaker, resource ID: endpoint/pricesense/variant/AllTraffic, scalable dimension: sagemaker:variant:DesiredInstanceCount',
    });
  });

  it('rejects a predefined metric of another service', async () => {
    await emulator.call('RegisterScalableTarget', { ...target, MinCapacity: 1, MaxCapacity: 4 });

    const call = emulator.call('PutScalingPolicy', {
      ...trackingPolicy,
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
    });

    await expect(call).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('PredefinedMetricType "ECSServiceAverageCPUUtilization" is not valid for namespace sagemaker') });
  });

  it('deletes the target\'s policies when the target is deregistered', async () => {
    await emulator.call('RegisterScalableTarget', { ...target, MinCapacity: 1, MaxCapacity: 4 });
    await emulator.call('PutScalingPolicy', trackingPolicy);

    await emulator.call('DeregisterScalableTarget', target);

    expect(await emulator.state()).toEqual({ targets: [], policies: [] });
  });

  it('keeps what it recorded across instances on one state directory', async () => {
    await emulator.call('RegisterScalableTarget', { ...target, MinCapacity: 1, MaxCapacity: 4 });

    const reopened = new ApplicationAutoScalingEmulator({ stateDir });

    expect((await reopened.state()).targets.map((t) => t.ResourceId)).toEqual(['endpoint/pricesense/variant/AllTraffic']);
  });
});
