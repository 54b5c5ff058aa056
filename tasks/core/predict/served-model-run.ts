/**
 * Which gold run the model an endpoint serves was trained on, read through the endpoint itself:
 * endpoint → its live endpoint config → the model of its first variant → the model package that
 * model was created from → the package's `runId`. Not "the newest Approved package": RegisterModel
 * approves a version before the rollout, so during a rollout (and after one that failed) the newest
 * Approved version is not the one serving, and its reference prices would skew the old model's
 * relative-price features.
 */
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';

export class ServedModelUnknownError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServedModelUnknownError';
  }
}

export async function servedModelRunId(sageMaker: Pick<SageMakerClient, 'send'>, endpointName: string): Promise<{ runId: string; modelPackageArn: string }> {
  const endpoint = await sageMaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  const configName = endpoint.EndpointConfigName;
  if (!configName) throw new ServedModelUnknownError(`Endpoint ${endpointName} has no endpoint configuration (status ${endpoint.EndpointStatus ?? 'unknown'})`);
  const config = await sageMaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName }));
  const modelName = config.ProductionVariants?.[0]?.ModelName;
  if (!modelName) throw new ServedModelUnknownError(`Endpoint configuration ${configName} of ${endpointName} names no model`);
  const model = await sageMaker.send(new DescribeModelCommand({ ModelName: modelName }));
  const modelPackageArn = model.PrimaryContainer?.ModelPackageName ?? model.Containers?.[0]?.ModelPackageName;
  if (!modelPackageArn) throw new ServedModelUnknownError(`Model ${modelName} served by ${endpointName} was not created from a registered model package`);
  const described = await sageMaker.send(new DescribeModelPackageCommand({ ModelPackageName: modelPackageArn }));
  const runId = described.CustomerMetadataProperties?.['runId'];
  if (!runId) throw new ServedModelUnknownError(`Model package ${modelPackageArn} has no CustomerMetadataProperties.runId: it was not registered by the pricesense pipeline`);
  return { runId, modelPackageArn };
}
