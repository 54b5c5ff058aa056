import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelPackagesEmulator } from '../../../../local/aws/sagemaker/model-packages.js';
import { ModelsEmulator, modelStore } from '../../../../local/aws/sagemaker/models.js';
import { makeStateDir, ROLE_ARN, steppingClock, XGBOOST_IMAGE } from './helpers.js';

const MODEL_DATA = 's3://pricesense-artifacts/training/ps-train-r1/output/model.tar.gz';

describe('models', () => {
  let stateDir: string;
  let cleanup: () => void;
  let models: ModelsEmulator;

  beforeEach(() => {
    ({ stateDir, cleanup } = makeStateDir());
    models = new ModelsEmulator({ stateDir, clock: steppingClock() });
  });
  afterEach(() => cleanup());

  it('creates a model and describes it', async () => {
    const created = await models.call('CreateModel', {
      ModelName: 'ps-model-r1',
      PrimaryContainer: { Image: XGBOOST_IMAGE, ModelDataUrl: MODEL_DATA },
      ExecutionRoleArn: ROLE_ARN,
      EnableNetworkIsolation: true,
    });
    const described = await models.call('DescribeModel', { ModelName: 'ps-model-r1' });

    expect(created).toEqual({ ModelArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/ps-model-r1' });
    expect(described).toEqual({
      ModelName: 'ps-model-r1',
      PrimaryContainer: { Image: XGBOOST_IMAGE, ModelDataUrl: MODEL_DATA },
      ExecutionRoleArn: ROLE_ARN,
      CreationTime: new Date('2026-01-05T10:00:00.000Z'),
      ModelArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/ps-model-r1',
      EnableNetworkIsolation: true,
    });
  });

  it('rejects an existing model name', async () => {
    const request = { ModelName: 'ps-model-r1', PrimaryContainer: { Image: XGBOOST_IMAGE, ModelDataUrl: MODEL_DATA }, ExecutionRoleArn: ROLE_ARN };
    await models.call('CreateModel', request);

    await expect(models.call('CreateModel', request)).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Cannot create already existing model "arn:aws:sagemaker:us-east-1:000000000000:model/ps-model-r1".',
    });
  });

  it('rejects an image that cannot be served locally, naming it', async () => {
    await expect(
      models.call('CreateModel', { ModelName: 'ps-model-r1', PrimaryContainer: { Image: 'my/image:latest', ModelDataUrl: MODEL_DATA }, ExecutionRoleArn: ROLE_ARN }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('"my/image:latest"') });
  });

  it('reports an unknown model as "Could not find model"', async () => {
    await expect(models.call('DescribeModel', { ModelName: 'nope' })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Could not find model "arn:aws:sagemaker:us-east-1:000000000000:model/nope".',
    });
  });

  it('deletes a model', async () => {
    await models.call('CreateModel', { ModelName: 'ps-model-r1', PrimaryContainer: { Image: XGBOOST_IMAGE, ModelDataUrl: MODEL_DATA }, ExecutionRoleArn: ROLE_ARN });

    await models.call('DeleteModel', { ModelName: 'ps-model-r1' });

    await expect(models.call('DescribeModel', { ModelName: 'ps-model-r1' })).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('takes image, archive and lineage from a named model package', async () => {
    const registry = new ModelPackagesEmulator({ stateDir });
    await registry.call('CreateModelPackageGroup', { ModelPackageGroupName: 'group-a' });
    const { ModelPackageArn } = await registry.call('CreateModelPackage', {
      ModelPackageGroupName: 'group-a',
      InferenceSpecification: { Containers: [{ Image: XGBOOST_IMAGE, ModelDataUrl: MODEL_DATA }] },
      ModelApprovalStatus: 'Approved',
    });

    await models.call('CreateModel', { ModelName: 'ps-model-from-package', PrimaryContainer: { ModelPackageName: ModelPackageArn }, ExecutionRoleArn: ROLE_ARN });
    const record = await modelStore(stateDir).get('ps-model-from-package');

    expect(record).toMatchObject({ Image: XGBOOST_IMAGE, ModelDataUrl: MODEL_DATA, ModelPackageArn, ModelPackageVersion: 1 });
  });

  it('reads the package lineage from the container environment', async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:model-package/group-a/4';

    await models.call('CreateModel', {
      ModelName: 'ps-model-env',
      PrimaryContainer: { Image: XGBOOST_IMAGE, ModelDataUrl: MODEL_DATA, Environment: { MODEL_PACKAGE_ARN: arn } },
      ExecutionRoleArn: ROLE_ARN,
    });

    expect(await modelStore(stateDir).get('ps-model-env')).toMatchObject({ ModelPackageArn: arn, ModelPackageVersion: 4 });
  });
});
