/**
 * Names of the jobs a run starts, derived from the execution name so that a redrive
 * (same execution name) finds its own jobs instead of starting new ones.
 */
import { createHash } from 'node:crypto';

/** SageMaker: 1-63 chars, `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`. */
export const SAGEMAKER_NAME_MAX = 63;

export interface RunJobNames {
  /** Stable id of the run: the execution name, used as the S3 prefix of every zone. */
  runId: string;
  trainingJobName: string;
  modelName: string;
  transformJobName: string;
  endpointConfigName: string;
}

/**
 * Turns an execution name into a SageMaker-safe name with the given prefix and suffix.
 * Names that would be too long or that lost characters keep an 8-hex hash of the original,
 * so two different executions never collide.
 */
export function sageMakerName(prefix: string, executionName: string, suffix = '', maxLength = SAGEMAKER_NAME_MAX): string {
  const cleaned = executionName.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
  const hash = createHash('sha256').update(executionName).digest('hex').slice(0, 8);
  const lossless = cleaned === executionName;
  const fixed = prefix.length + suffix.length + 2; // two dashes around the body
  let body = cleaned;
  if (!lossless || fixed + body.length > maxLength) {
    const room = maxLength - fixed - hash.length - 1;
    body = `${cleaned.slice(0, Math.max(0, room)).replace(/-+$/g, '')}-${hash}`.replace(/^-+/, '');
  }
  return [prefix, body, suffix].filter((part) => part.length > 0).join('-');
}

/** Prefix of the model CreateModel makes from the training output (scores the test split). */
export const MODEL_NAME_PREFIX = 'ps-model';
/**
 * Prefix of the model the endpoint serves, created from the registered model package. Same
 * length as MODEL_NAME_PREFIX, so the serving name is the model name with the prefix swapped
 * and stays within 63 characters.
 */
export const SERVING_MODEL_NAME_PREFIX = 'ps-serve';

/** The serving model of a run (see SERVING_MODEL_NAME_PREFIX). */
export function servingModelName(executionName: string): string {
  return sageMakerName(SERVING_MODEL_NAME_PREFIX, executionName);
}

/**
 * SageMaker job names are unique per account forever, so a redriven TrainModel or ScoreTestSplit
 * (whose job failed) cannot reuse its name: the workflow appends `-r<RedriveCount>`. Those two
 * names leave room for it.
 */
export const REDRIVE_SUFFIX_ROOM = 5;

export function runJobNames(executionName: string): RunJobNames {
  const jobNameMax = SAGEMAKER_NAME_MAX - REDRIVE_SUFFIX_ROOM;
  return {
    runId: executionName,
    trainingJobName: sageMakerName('ps-train', executionName, '', jobNameMax),
    modelName: sageMakerName(MODEL_NAME_PREFIX, executionName),
    transformJobName: sageMakerName('ps-score', executionName, '', jobNameMax),
    endpointConfigName: sageMakerName('ps-epc', executionName),
  };
}
