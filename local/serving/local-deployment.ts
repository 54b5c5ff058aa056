/**
 * Puts a model file live on a local endpoint without a pipeline run: packs it as model.tar.gz
 * into the local S3 zone and writes the endpoint record the way the SageMaker emulator does when
 * a deployment finishes (EndpointStatus InService, Live = the model). For the benchmark, demos
 * and tests of rollouts; a pipeline run deploys through CreateEndpoint/UpdateEndpoint instead.
 */
import { join } from 'node:path';
import { localObjectPath } from '../aws/s3-location.js';
import { endpointStore, EndpointStatus, type EndpointRecord } from '../aws/sagemaker/endpoints.js';
import { packModelArchive } from '../xgboost/model-archive.js';
import { XGBOOST_IMAGE_TAG } from '../../workflow/xgboost-image.js';

export interface LocalDeployment {
  stateDir: string;
  endpointName: string;
  /** An `xgboost-model` file (binary or JSON) as XGBoost 1.7 writes it. */
  modelPath: string;
  /** What /predict and X-Model-Version report. */
  version: string;
  /** @default 'pricesense-local-models' */
  bucket?: string;
}

export async function deployModelLocally(deployment: LocalDeployment): Promise<EndpointRecord> {
  const bucket = deployment.bucket ?? 'pricesense-local-models';
  const key = `models/${encodeURIComponent(deployment.version)}/model.tar.gz`;
  const archivePath = localObjectPath(deployment.stateDir, bucket, key);
  await packModelArchive([{ name: 'xgboost-model', path: deployment.modelPath }], archivePath);
  const now = new Date().toISOString();
  const image = `local/${XGBOOST_IMAGE_TAG}`;
  const live = {
    VariantName: 'AllTraffic',
    ModelName: deployment.version.replace(/[^a-zA-Z0-9-]/g, '-'),
    Image: image,
    ModelDataUrl: `s3://${bucket}/${key}`,
    ArchivePath: archivePath,
    ModelDir: join(deployment.stateDir, 'sagemaker', 'model-cache'),
    ModelVersion: deployment.version,
    DeployedAt: now,
  };
  const store = endpointStore(deployment.stateDir);
  const fresh: EndpointRecord = {
    EndpointName: deployment.endpointName,
    EndpointArn: `arn:aws:sagemaker:us-east-1:000000000000:endpoint/${deployment.endpointName.toLowerCase()}`,
    EndpointStatus: EndpointStatus.InService,
    EndpointConfigName: `${live.ModelName}-config`,
    CreationTime: now,
    LastModifiedTime: now,
    ProductionVariants: [{ VariantName: 'AllTraffic', Image: image, ResolvedAt: now, Weight: 1, InstanceCount: 1 }],
    Live: live,
    OwnerPid: process.pid,
  };
  if (await store.create(deployment.endpointName, fresh)) return fresh;
  const updated = await store.update(deployment.endpointName, (current) => ({ ...current, EndpointStatus: EndpointStatus.InService, LastModifiedTime: now, Live: live }));
  return updated ?? fresh;
}
