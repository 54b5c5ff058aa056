/**
 * The registry's word on the model a pod serves: DescribeModelPackage on the package the rollout
 * annotated the pod with. It gives the gold run (CustomerMetadataProperties.runId) whose reference
 * prices the model needs, the version /predict reports, and two checks: the package is Approved
 * (only approved models are served) and it registers the archive this pod was given (an annotation
 * patched by hand cannot pair one model with another model's reference prices).
 */
import { DescribeModelPackageCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';

export interface RegisteredModel {
  modelPackageArn: string;
  runId: string;
  /** `<group>/<version>`, as the local endpoint reports it. */
  version: string;
}

export class RegisteredModelError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'RegisteredModelError';
  }
}

export async function describeRegisteredModel(sageMaker: Pick<SageMakerClient, 'send'>, modelPackageArn: string, modelDataUrl: string | undefined): Promise<RegisteredModel> {
  let described;
  try {
    described = await sageMaker.send(new DescribeModelPackageCommand({ ModelPackageName: modelPackageArn }));
  } catch (error) {
    throw new RegisteredModelError(`DescribeModelPackage ${modelPackageArn} failed: ${(error as Error).name}: ${(error as Error).message}`, error);
  }
  if (described.ModelApprovalStatus !== 'Approved') {
    throw new RegisteredModelError(`model package ${modelPackageArn} is ${described.ModelApprovalStatus ?? 'without an approval status'} in the registry: only an Approved version is served (approve it, or roll out an approved one)`);
  }
  const runId = described.CustomerMetadataProperties?.['runId'];
  if (!runId) throw new RegisteredModelError(`model package ${modelPackageArn} has no CustomerMetadataProperties.runId: it was not registered by the pricesense pipeline, so its reference prices are unknown`);
  const registered = described.InferenceSpecification?.Containers?.[0]?.ModelDataUrl;
  if (modelDataUrl !== undefined && registered !== undefined && registered !== modelDataUrl) {
    throw new RegisteredModelError(`model package ${modelPackageArn} registers ${registered}, but this pod was given ${modelDataUrl}: the two pod annotations name different models`);
  }
  const version = described.ModelPackageVersion === undefined ? modelPackageArn.split('/').slice(-2).join('/') : `${described.ModelPackageGroupName ?? modelPackageArn.split('/').at(-2)}/${described.ModelPackageVersion}`;
  return { modelPackageArn, runId, version };
}
