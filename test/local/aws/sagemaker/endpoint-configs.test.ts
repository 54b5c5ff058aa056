import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EndpointConfigsEmulator } from '../../../../local/aws/sagemaker/endpoint-configs.js';
import { makeStateDir, steppingClock } from './helpers.js';

const VARIANT = { VariantName: 'AllTraffic', ModelName: 'ps-model-run-1', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' };
const KMS = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('endpoint configs', () => {
  let stateDir: string;
  let cleanup: () => void;
  let configs: EndpointConfigsEmulator;

  beforeEach(() => {
    ({ stateDir, cleanup } = makeStateDir());
    configs = new EndpointConfigsEmulator({ stateDir, clock: steppingClock() });
  });
  afterEach(() => cleanup());

  it('creates a config and returns its lower-cased ARN', async () => {
    const created = await configs.call('CreateEndpointConfig', { EndpointConfigName: 'ps-epc-Run-1', ProductionVariants: [VARIANT], KmsKeyId: KMS });

    expect(created).toEqual({ EndpointConfigArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/ps-epc-run-1' });
  });

  it('describes the variants with the default weight and the KMS key', async () => {
    await configs.call('CreateEndpointConfig', { EndpointConfigName: 'ps-epc-run-1', ProductionVariants: [VARIANT], KmsKeyId: KMS });

    const described = await configs.call('DescribeEndpointConfig', { EndpointConfigName: 'ps-epc-run-1' });

    expect(described).toEqual({
      EndpointConfigName: 'ps-epc-run-1',
      EndpointConfigArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/ps-epc-run-1',
      ProductionVariants: [{ ...VARIANT, InitialVariantWeight: 1 }],
      KmsKeyId: KMS,
      CreationTime: new Date('2026-01-05T10:00:00.000Z'),
    });
  });

  it('rejects an existing name with "Cannot create already existing endpoint configuration"', async () => {
    await configs.call('CreateEndpointConfig', { EndpointConfigName: 'ps-epc-run-1', ProductionVariants: [VARIANT] });

    await expect(configs.call('CreateEndpointConfig', { EndpointConfigName: 'ps-epc-run-1', ProductionVariants: [VARIANT] })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Cannot create already existing endpoint configuration "arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/ps-epc-run-1".',
    });
  });

  it('rejects a name outside the SageMaker pattern', async () => {
    await expect(configs.call('CreateEndpointConfig', { EndpointConfigName: 'bad_name', ProductionVariants: [VARIANT] })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('"bad_name"'),
    });
  });

  it('rejects a variant without a model name, naming the field', async () => {
    await expect(
      configs.call('CreateEndpointConfig', { EndpointConfigName: 'ps-epc-run-1', ProductionVariants: [{ VariantName: 'AllTraffic', InitialInstanceCount: 1 }] }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('ProductionVariants.1.ModelName') });
  });

  it('reports an unknown config as "Could not find endpoint configuration"', async () => {
    await expect(configs.call('DescribeEndpointConfig', { EndpointConfigName: 'missing' })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Could not find endpoint configuration "arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/missing".',
    });
  });

  it('deletes a config so it can no longer be described', async () => {
    await configs.call('CreateEndpointConfig', { EndpointConfigName: 'ps-epc-run-1', ProductionVariants: [VARIANT] });

    await configs.call('DeleteEndpointConfig', { EndpointConfigName: 'ps-epc-run-1' });

    await expect(configs.call('DescribeEndpointConfig', { EndpointConfigName: 'ps-epc-run-1' })).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses an action it does not implement, listing the ones it does', async () => {
    await expect(configs.call('UpdateEndpointWeightsAndCapacities', {})).rejects.toMatchObject({
      name: 'UnsupportedOperation',
      message: expect.stringContaining('CreateEndpointConfig, DescribeEndpointConfig'),
    });
  });
});
