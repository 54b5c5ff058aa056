/**
 * The local SageMaker: one emulator per resource kind for service `sagemaker` (the registry
 * composes emulators by their `actions`) plus `sagemakerruntime` for InvokeEndpoint.
 * Everything persists under `<stateDir>/sagemaker/`.
 */
import type { AwsServiceEmulator } from '../emulator.js';
import type { SageMakerEmulatorOptions } from './context.js';
import { EndpointConfigsEmulator } from './endpoint-configs.js';
import { EndpointsEmulator } from './endpoints.js';
import { ModelPackagesEmulator } from './model-packages.js';
import { ModelsEmulator } from './models.js';
import { SageMakerRuntimeEmulator } from './runtime.js';
import { TrainingJobsEmulator } from './training-jobs.js';
import { TransformJobsEmulator } from './transform-jobs.js';
import { TuningJobsEmulator } from './tuning-jobs.js';

export type { SageMakerEmulatorOptions } from './context.js';
export { readEndpointRecord, type EndpointRecord, type LiveModel } from './endpoints.js';
export { ModelError, MAX_INVOKE_PAYLOAD_BYTES } from './runtime.js';
export { formatCsvPredictions, formatJsonPredictions, parseFeatureRows } from './csv-predictions.js';

export function createSageMakerEmulators(options: SageMakerEmulatorOptions): AwsServiceEmulator[] {
  const training = new TrainingJobsEmulator(options);
  return [
    training,
    new TuningJobsEmulator(options, training),
    new ModelsEmulator(options),
    new TransformJobsEmulator(options),
    new ModelPackagesEmulator(options),
    new EndpointConfigsEmulator(options),
    new EndpointsEmulator(options),
    new SageMakerRuntimeEmulator(options),
  ];
}
