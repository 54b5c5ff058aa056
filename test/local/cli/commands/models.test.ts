/**
 * `pricesense models` answers from the emulators' APIs: the registry (ListModelPackages,
 * DescribeModelPackage), the quality report (s3:GetObject) and what each endpoint serves
 * (ListEndpoints -> DescribeEndpoint -> DescribeEndpointConfig -> DescribeModel). Everything here
 * is arranged through the same APIs, so the test holds whatever the emulators keep on disk.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalBackend, type LocalBackend } from '../../../../local/backend/open-local-backend.js';
import { listModels } from '../../../../local/cli/commands/models.js';
import { deployModelLocally } from '../../../../local/serving/local-deployment.js';
import { packModelArchive } from '../../../../local/xgboost/model-archive.js';
import { writeStumpModel } from '../../serving/serving-fixtures.js';

const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
const ROLE = 'arn:aws:iam::000000000000:role/pricesense-sagemaker';
const BUCKET = 'pricesense-artifacts';
const GROUP = 'basket-models';
const ENDPOINT = 'basket-endpoint';

let stateDir: string;
let backend: LocalBackend;
const call = (service: string, action: string, input: Record<string, unknown>) => backend.aws.call(service, action, input);

async function putObject(key: string, body: Buffer | string): Promise<string> {
  await call('s3', 'PutObject', { Bucket: BUCKET, Key: key, Body: body });
  return `s3://${BUCKET}/${key}`;
}

/** A model archive and its quality report in S3, registered as the next version of the group. */
async function register(version: number, accuracy: number): Promise<{ arn: string; modelDataUrl: string }> {
  const archive = join(mkdtempSync(join(tmpdir(), 'models-archive-')), 'model.tar.gz');
  await packModelArchive([{ name: 'xgboost-model', path: writeStumpModel([[2, -1], [0, 0], [-1, 2]]) }], archive);
  const modelDataUrl = await putObject(`training/v${version}/output/model.tar.gz`, readFileSync(archive));
  const report = await putObject(`reports/v${version}/model-quality.json`, JSON.stringify({ pricesense: { metrics: { accuracy, macroF1: accuracy - 0.1 } } }));
  const { ModelPackageArn } = await call('sagemaker', 'CreateModelPackage', {
    ModelPackageGroupName: GROUP,
    InferenceSpecification: { Containers: [{ Image: IMAGE, ModelDataUrl: modelDataUrl }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
    ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: report } } },
    ModelApprovalStatus: 'Approved',
    CustomerMetadataProperties: { executionArn: `arn:aws:states:us-east-1:000000000000:execution:pricesense:run-${version}`, trainingJob: `ps-train-${version}`, dataObject: `s3://raw/week-${version}.csv` },
  });
  return { arn: String(ModelPackageArn), modelDataUrl };
}

async function settled(): Promise<string> {
  for (;;) {
    const { EndpointStatus } = await call('sagemaker', 'DescribeEndpoint', { EndpointName: ENDPOINT });
    if (EndpointStatus !== 'Creating' && EndpointStatus !== 'Updating') return String(EndpointStatus);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'models-command-'));
  backend = await openLocalBackend({ stateDir, routeSdkClients: false });
  await call('s3', 'CreateBucket', { Bucket: BUCKET });
  await call('sagemaker', 'CreateModelPackageGroup', { ModelPackageGroupName: GROUP });
  const v1 = await register(1, 0.8);
  const v2 = await register(2, 0.85);
  // v1 through its package, v2 as the pipeline creates it: from the artifact, the package in its lineage.
  await call('sagemaker', 'CreateModel', { ModelName: 'model-v1', PrimaryContainer: { ModelPackageName: v1.arn }, ExecutionRoleArn: ROLE });
  await call('sagemaker', 'CreateModel', { ModelName: 'model-v2', PrimaryContainer: { Image: IMAGE, ModelDataUrl: v2.modelDataUrl }, ExecutionRoleArn: ROLE });
  for (const version of [1, 2]) {
    await call('sagemaker', 'CreateEndpointConfig', {
      EndpointConfigName: `config-v${version}`,
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: `model-v${version}`, InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
    });
  }
  await call('sagemaker', 'CreateEndpoint', { EndpointName: ENDPOINT, EndpointConfigName: 'config-v1' });
  expect(await settled()).toBe('InService');
});

afterAll(async () => {
  await backend.close();
});

describe('pricesense models', () => {
  it('lists every version with its lineage and report metrics, and which one the endpoint serves', async () => {
    const models = await listModels(stateDir);
    expect(models.map((model) => [model.group, model.version, model.approvalStatus, model.servedBy, model.metrics?.accuracy, model.trainingJob])).toEqual([
      [GROUP, 1, 'Approved', [`endpoint/${ENDPOINT}`], 0.8, 'ps-train-1'],
      [GROUP, 2, 'Approved', [], 0.85, 'ps-train-2'],
    ]);
    expect(models[1]?.dataObject).toBe('s3://raw/week-2.csv');
  });

  it('follows an UpdateEndpoint to the version the new config serves', async () => {
    await call('sagemaker', 'UpdateEndpoint', { EndpointName: ENDPOINT, EndpointConfigName: 'config-v2' });
    expect(await settled()).toBe('InService');
    const models = await listModels(stateDir);
    expect(models.map((model) => [model.version, model.servedBy])).toEqual([
      [1, []],
      [2, [`endpoint/${ENDPOINT}`]],
    ]);
  });

  it('ignores an endpoint whose config does not exist (a model put live without the API) instead of failing', async () => {
    await deployModelLocally({ stateDir, endpointName: 'demo-endpoint', modelPath: writeStumpModel([[1, 0], [0, 1], [0, 0]]), version: 'demo/1' });
    const models = await listModels(stateDir);
    expect(models.map((model) => [model.version, model.servedBy])).toEqual([
      [1, []],
      [2, [`endpoint/${ENDPOINT}`]],
    ]);
  });

  it('reports metrics as unavailable when the report object is gone', async () => {
    await call('s3', 'DeleteObject', { Bucket: BUCKET, Key: 'reports/v1/model-quality.json' });
    const models = await listModels(stateDir);
    expect(models.map((model) => model.metrics?.accuracy ?? null)).toEqual([null, 0.85]);
  });

  it('lists nothing on a state directory no run has used, and creates nothing there', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'models-empty-'));
    expect(await listModels(empty)).toEqual([]);
    expect(readdirSync(empty)).toEqual([]);
  });
});
