import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localObjectPath, parseS3Uri } from '../../../../local/aws/s3-location.js';
import { endpointStore } from '../../../../local/aws/sagemaker/endpoints.js';
import { createSageMakerEmulators, readEndpointRecord } from '../../../../local/aws/sagemaker/index.js';
import { BUCKET, makeStateDir, pollUntilSettled, putObject, ROLE_ARN, router, trainTinyModel, XGBOOST_IMAGE } from './helpers.js';

const ENDPOINT = 'pricesense-basket-price-sensitivity';
const GROUP = 'pricesense-basket-price-sensitivity';
const BLUE_GREEN = {
  BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 }, TerminationWaitInSeconds: 600 },
  AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'pricesense-endpoint-5xx' }] },
};

describe('endpoints', () => {
  let stateDir: string;
  let cleanup: () => void;
  let call: ReturnType<typeof router>;
  let v1Arn: string;
  let v2Arn: string;

  const describeEndpoint = () => call('sagemaker', 'DescribeEndpoint', { EndpointName: ENDPOINT });
  const settle = () => pollUntilSettled(describeEndpoint, 'EndpointStatus', ['Creating', 'Updating']);

  /** Registers an archive as a package and makes a model + endpoint config from the package. */
  async function deployable(suffix: string, modelDataUrl: string): Promise<string> {
    const { ModelPackageArn } = await call('sagemaker', 'CreateModelPackage', {
      ModelPackageGroupName: GROUP,
      InferenceSpecification: { Containers: [{ Image: XGBOOST_IMAGE, ModelDataUrl: modelDataUrl }] },
      ModelApprovalStatus: 'Approved',
    });
    await call('sagemaker', 'CreateModel', { ModelName: `ps-model-${suffix}`, PrimaryContainer: { ModelPackageName: ModelPackageArn }, ExecutionRoleArn: ROLE_ARN });
    await call('sagemaker', 'CreateEndpointConfig', {
      EndpointConfigName: `ps-epc-${suffix}`,
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: `ps-model-${suffix}`, InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
    });
    return String(ModelPackageArn);
  }

  beforeAll(async () => {
    ({ stateDir, cleanup } = makeStateDir());
    call = router(createSageMakerEmulators({ stateDir }));
    const trained = await trainTinyModel(stateDir, 'ps-train-endpoint');
    // A second version: the same model bytes under another key.
    const copy = `s3://${BUCKET}/training/ps-train-endpoint-v2/output/model.tar.gz`;
    const { bucket, key } = parseS3Uri(copy);
    mkdirSync(dirname(localObjectPath(stateDir, bucket, key)), { recursive: true });
    copyFileSync(localObjectPath(stateDir, BUCKET, parseS3Uri(trained).key), localObjectPath(stateDir, bucket, key));
    await putObject(stateDir, BUCKET, 'training/broken/output/model.tar.gz', 'this is not a gzip archive');
    await call('sagemaker', 'CreateModelPackageGroup', { ModelPackageGroupName: GROUP });
    v1Arn = await deployable('v1', trained);
    v2Arn = await deployable('v2', copy);
    await deployable('broken', `s3://${BUCKET}/training/broken/output/model.tar.gz`);
  });
  afterAll(() => cleanup());

  it('goes from Creating to InService with the live model recorded', async () => {
    const created = await call('sagemaker', 'CreateEndpoint', { EndpointName: ENDPOINT, EndpointConfigName: 'ps-epc-v1' });
    const first = await describeEndpoint();
    const settled = await settle();

    expect(created).toEqual({ EndpointArn: `arn:aws:sagemaker:us-east-1:000000000000:endpoint/${ENDPOINT}` });
    expect(['Creating', 'InService']).toContain(first.EndpointStatus);
    expect(settled).toMatchObject({
      EndpointName: ENDPOINT,
      EndpointStatus: 'InService',
      EndpointConfigName: 'ps-epc-v1',
      ProductionVariants: [expect.objectContaining({ VariantName: 'AllTraffic', CurrentInstanceCount: 1, DeployedImages: [expect.objectContaining({ SpecifiedImage: XGBOOST_IMAGE })] })],
    });
    expect(readEndpointRecord(stateDir, ENDPOINT)?.Live).toMatchObject({ ModelName: 'ps-model-v1', ModelPackageArn: v1Arn, ModelPackageVersion: 1, ModelVersion: `${GROUP}/1` });
  });

  it('rejects creating an endpoint that exists', async () => {
    await expect(call('sagemaker', 'CreateEndpoint', { EndpointName: ENDPOINT, EndpointConfigName: 'ps-epc-v1' })).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Cannot create already existing endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint/${ENDPOINT}".`,
    });
  });

  it('updates blue/green to the new config and goes back InService', async () => {
    await call('sagemaker', 'UpdateEndpoint', { EndpointName: ENDPOINT, EndpointConfigName: 'ps-epc-v2', DeploymentConfig: BLUE_GREEN, RetainAllVariantProperties: false });
    const settled = await settle();

    expect(settled).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'ps-epc-v2', LastDeploymentConfig: BLUE_GREEN });
    expect(settled.FailureReason).toBeUndefined();
    expect(readEndpointRecord(stateDir, ENDPOINT)?.Live).toMatchObject({ ModelPackageArn: v2Arn, ModelVersion: `${GROUP}/2` });
  });

  it('rolls a broken model archive back to the old config with FailureReason', async () => {
    await call('sagemaker', 'UpdateEndpoint', { EndpointName: ENDPOINT, EndpointConfigName: 'ps-epc-broken', DeploymentConfig: BLUE_GREEN });
    const settled = await settle();

    expect(settled).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: 'ps-epc-v2',
      FailureReason: expect.stringContaining('rolled back to ps-epc-v2'),
    });
    expect(String(settled.FailureReason)).toContain('cannot be unpacked');
    expect(readEndpointRecord(stateDir, ENDPOINT)?.Live?.ModelPackageArn).toBe(v2Arn);
  });

  it('fails creating an endpoint whose model archive is broken', async () => {
    await call('sagemaker', 'CreateEndpoint', { EndpointName: 'broken-endpoint', EndpointConfigName: 'ps-epc-broken' });
    const settled = await pollUntilSettled(() => call('sagemaker', 'DescribeEndpoint', { EndpointName: 'broken-endpoint' }), 'EndpointStatus', ['Creating']);

    expect(settled).toMatchObject({ EndpointStatus: 'Failed', FailureReason: expect.stringContaining('training/broken/output/model.tar.gz') });
  });

  it('refuses to update an endpoint that is not InService', async () => {
    await expect(call('sagemaker', 'UpdateEndpoint', { EndpointName: 'broken-endpoint', EndpointConfigName: 'ps-epc-v1' })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Failed'),
    });
  });

  it('rejects a create naming an unknown endpoint config', async () => {
    await expect(call('sagemaker', 'CreateEndpoint', { EndpointName: 'other', EndpointConfigName: 'ps-epc-missing' })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Could not find endpoint configuration'),
    });
  });

  it('answers Describe of an unknown endpoint with "Could not find endpoint"', async () => {
    await expect(call('sagemaker', 'DescribeEndpoint', { EndpointName: 'nope' })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Could not find endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint/nope".',
    });
  });

  it('lists endpoints with their status', async () => {
    const listed = await call('sagemaker', 'ListEndpoints', { SortBy: 'Name', SortOrder: 'Ascending' });

    expect((listed.Endpoints as Array<Record<string, unknown>>).map((e) => [e.EndpointName, e.EndpointStatus])).toEqual([
      ['broken-endpoint', 'Failed'],
      [ENDPOINT, 'InService'],
    ]);
  });

  it('deletes a Failed endpoint: Deleting, then "Could not find endpoint", then it can be created again', async () => {
    const deleted = await call('sagemaker', 'DeleteEndpoint', { EndpointName: 'broken-endpoint' });
    const statuses: string[] = [];
    let gone: unknown;
    for (let i = 0; i < 500 && gone === undefined; i++) {
      try {
        statuses.push(String((await call('sagemaker', 'DescribeEndpoint', { EndpointName: 'broken-endpoint' })).EndpointStatus));
        await new Promise((resolve) => setTimeout(resolve, 10));
      } catch (error) {
        gone = error;
      }
    }

    expect(deleted).toEqual({});
    expect(statuses.every((status) => status === 'Deleting')).toBe(true);
    expect(gone).toMatchObject({ name: 'ValidationException', message: 'Could not find endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint/broken-endpoint".' });
    await call('sagemaker', 'CreateEndpoint', { EndpointName: 'broken-endpoint', EndpointConfigName: 'ps-epc-v1' });
    expect(await pollUntilSettled(() => call('sagemaker', 'DescribeEndpoint', { EndpointName: 'broken-endpoint' }), 'EndpointStatus', ['Creating'])).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: 'ps-epc-v1',
    });
  });

  it('answers DeleteEndpoint of an unknown endpoint with "Could not find endpoint"', async () => {
    await expect(call('sagemaker', 'DeleteEndpoint', { EndpointName: 'nope' })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Could not find endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint/nope".',
    });
  });

  it('resumes a creation whose process was killed (AWS carries on): InService, not Failed', async () => {
    // A process that has exited: its pid is the owner of a Creating record, as after a SIGKILL.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const store = endpointStore(stateDir);
    const now = new Date().toISOString();
    await store.create('orphan-endpoint', {
      EndpointName: 'orphan-endpoint',
      EndpointArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/orphan-endpoint',
      EndpointStatus: 'Creating',
      EndpointConfigName: 'ps-epc-v2',
      CreationTime: now,
      LastModifiedTime: now,
      ProductionVariants: [],
      OwnerPid: dead,
    });

    const settled = await pollUntilSettled(() => call('sagemaker', 'DescribeEndpoint', { EndpointName: 'orphan-endpoint' }), 'EndpointStatus', ['Creating']);

    expect(settled).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'ps-epc-v2' });
    expect(readEndpointRecord(stateDir, 'orphan-endpoint')).toMatchObject({ OwnerPid: process.pid, Live: { ModelPackageArn: v2Arn } });
  });

  it('resumes an update whose process was killed: InService on the pending config', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const now = new Date().toISOString();
    await endpointStore(stateDir).create('orphan-update', {
      EndpointName: 'orphan-update',
      EndpointArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/orphan-update',
      EndpointStatus: 'Updating',
      EndpointConfigName: 'ps-epc-v1',
      PendingEndpointConfigName: 'ps-epc-v2',
      PendingSince: now,
      CreationTime: now,
      LastModifiedTime: now,
      ProductionVariants: [],
      OwnerPid: dead,
    });

    const settled = await pollUntilSettled(() => call('sagemaker', 'DescribeEndpoint', { EndpointName: 'orphan-update' }), 'EndpointStatus', ['Updating']);

    expect(settled).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'ps-epc-v2' });
    expect(settled.FailureReason).toBeUndefined();
    expect(readEndpointRecord(stateDir, 'orphan-update')?.Live?.ModelPackageArn).toBe(v2Arn);
  });
});
