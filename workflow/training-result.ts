/**
 * The `$training` variable from a training job's description (the `.sync` result of
 * CreateTrainingJob and DescribeTrainingJob share its shape): what CreateModel, the experiment
 * record and the registry read, whether one job trained the model or a tuning job's best trial did.
 */
import { jsonata, orDefault } from './jsonata.js';

/** The variable CreateModel, the experiment record and the registry read the training result from. */
export const TRAINING_VARIABLE = 'training';

export function trainingFromJobDescription(): Record<string, unknown> {
  return {
    jobName: jsonata('$states.result.TrainingJobName'),
    modelDataUrl: jsonata('$states.result.ModelArtifacts.S3ModelArtifacts'),
    billableSeconds: jsonata(orDefault('$states.result.BillableTimeInSeconds')),
    hyperparameters: jsonata('$states.result.HyperParameters'),
    validationMetrics: jsonata(`[$states.result.FinalMetricDataList.{'name': MetricName, 'value': Value}]`),
  };
}
