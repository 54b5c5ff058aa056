/**
 * Checks of a CreateHyperParameterTuningJob request, in SageMaker's words, before anything runs:
 * the name rule (32 characters), the strategy, the objective, the resource limits and every
 * parameter range. The training job definition is checked for the fields a trial cannot start
 * without; the rest is checked by CreateTrainingJob when a trial starts (a bad value then fails
 * that trial, as on AWS).
 */
import { AwsServiceError } from '../emulator.js';
import { optionalNumber, optionalObject, optionalString, optionalStringMap, oneOf, requireArray, requireObject, requireString, validationError } from './validation.js';
import { requireXgboost17Image } from './xgboost-image.js';

const TUNING_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/;
const STRATEGIES = ['Bayesian', 'Random', 'Hyperband', 'Grid'] as const;
const LOCAL_STRATEGIES = ['Bayesian', 'Random'];
const SCALING_TYPES = ['Auto', 'Linear', 'Logarithmic', 'ReverseLogarithmic'] as const;

/** Metrics the built-in XGBoost reports for tuning ("Tune an XGBoost Model") and which of them the local `xgboost` command computes. */
const XGBOOST_TUNING_METRICS = ['accuracy', 'auc', 'error', 'f1', 'logloss', 'mae', 'map', 'merror', 'mlogloss', 'mse', 'ndcg', 'rmse'].map((metric) => `validation:${metric}`);
const NOT_COMPUTED_LOCALLY = new Set(['validation:accuracy', 'validation:f1', 'validation:mse']);

/** Default service quotas of one tuning job. */
export const MAX_TRAINING_JOBS_PER_TUNING_JOB = 500;
export const MAX_PARALLEL_TRAINING_JOBS_PER_TUNING_JOB = 100;

export interface ParameterRange {
  Name: string;
  kind: 'Continuous' | 'Integer' | 'Categorical';
  min?: number;
  max?: number;
  values?: string[];
  ScalingType: string;
}

export interface TuningRequest {
  name: string;
  strategy: 'Bayesian' | 'Random';
  objective: { Type: 'Minimize' | 'Maximize'; MetricName: string };
  maxTrainingJobs: number;
  maxParallel: number;
  earlyStopping: 'Off' | 'Auto';
  randomSeed?: number;
  ranges: ParameterRange[];
  /** HyperParameterTuningJobConfig as sent (echoed by Describe). */
  config: Record<string, unknown>;
  definition: Record<string, unknown>;
  staticHyperParameters: Record<string, string>;
}

export function parseTuningRequest(input: Record<string, unknown>): TuningRequest {
  const name = requireString(input, 'HyperParameterTuningJobName');
  if (name.length > 32) {
    throw validationError(`1 validation error detected: Value ${JSON.stringify(name)} at 'hyperParameterTuningJobName' failed to satisfy constraint: Member must have length less than or equal to 32`);
  }
  if (!TUNING_NAME_PATTERN.test(name)) {
    throw validationError(
      `1 validation error detected: Value ${JSON.stringify(name)} at 'hyperParameterTuningJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}`,
    );
  }
  if (input.TrainingJobDefinitions !== undefined) throw validationError('TrainingJobDefinitions (several algorithms in one tuning job) is not supported locally; use TrainingJobDefinition');
  if (input.WarmStartConfig !== undefined) throw validationError('WarmStartConfig is not supported locally: the local tuning job starts from no parent job');
  const config = requireObject(input, 'HyperParameterTuningJobConfig');
  const strategy = oneOf(config.Strategy, STRATEGIES, 'hyperParameterTuningJobConfig.strategy');
  if (!LOCAL_STRATEGIES.includes(strategy)) throw validationError(`Strategy ${strategy} is not supported locally; use Bayesian or Random`);

  const limits = requireObject(config, 'ResourceLimits', 'hyperParameterTuningJobConfig.resourceLimits');
  const maxTrainingJobs = positiveInteger(limits, 'MaxNumberOfTrainingJobs', 'hyperParameterTuningJobConfig.resourceLimits.maxNumberOfTrainingJobs');
  const maxParallel = positiveInteger(limits, 'MaxParallelTrainingJobs', 'hyperParameterTuningJobConfig.resourceLimits.maxParallelTrainingJobs');
  if (maxTrainingJobs > MAX_TRAINING_JOBS_PER_TUNING_JOB) {
    throw new AwsServiceError('ResourceLimitExceeded', `The value of MaxNumberOfTrainingJobs (${maxTrainingJobs}) exceeds the account-level limit of ${MAX_TRAINING_JOBS_PER_TUNING_JOB} training jobs per tuning job`);
  }
  if (maxParallel > MAX_PARALLEL_TRAINING_JOBS_PER_TUNING_JOB) {
    throw new AwsServiceError('ResourceLimitExceeded', `The value of MaxParallelTrainingJobs (${maxParallel}) exceeds the account-level limit of ${MAX_PARALLEL_TRAINING_JOBS_PER_TUNING_JOB} parallel training jobs per tuning job`);
  }

  const objectiveInput = requireObject(config, 'HyperParameterTuningJobObjective', 'hyperParameterTuningJobConfig.hyperParameterTuningJobObjective');
  const type = oneOf(objectiveInput.Type, ['Minimize', 'Maximize'] as const, 'hyperParameterTuningJobConfig.hyperParameterTuningJobObjective.type');
  const metricName = requireString(objectiveInput, 'MetricName', 'hyperParameterTuningJobConfig.hyperParameterTuningJobObjective.metricName');
  if (!XGBOOST_TUNING_METRICS.includes(metricName)) {
    throw validationError(`The objective metric ${JSON.stringify(metricName)} is not a metric of the built-in algorithm; expected one of ${XGBOOST_TUNING_METRICS.join(', ')}`);
  }
  if (NOT_COMPUTED_LOCALLY.has(metricName)) {
    throw validationError(`The objective metric ${metricName} is computed by SageMaker's XGBoost container, not by the xgboost command the local twin trains with; use validation:mlogloss or validation:merror locally`);
  }
  const earlyStopping = oneOf(config.TrainingJobEarlyStoppingType ?? 'Off', ['Off', 'Auto'] as const, 'hyperParameterTuningJobConfig.trainingJobEarlyStoppingType');
  const randomSeed = optionalNumber(config, 'RandomSeed', 'hyperParameterTuningJobConfig.randomSeed');
  if (randomSeed !== undefined && (!Number.isInteger(randomSeed) || randomSeed < 0)) {
    throw validationError(`1 validation error detected: Value ${randomSeed} at 'hyperParameterTuningJobConfig.randomSeed' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  }
  const ranges = parseRanges(optionalObject(config, 'ParameterRanges') ?? {});
  if (ranges.length === 0) throw validationError('HyperParameterTuningJobConfig.ParameterRanges must define at least one hyperparameter range to tune');

  const definition = requireObject(input, 'TrainingJobDefinition');
  const algorithm = requireObject(definition, 'AlgorithmSpecification', 'trainingJobDefinition.algorithmSpecification');
  requireXgboost17Image(requireString(algorithm, 'TrainingImage', 'trainingJobDefinition.algorithmSpecification.trainingImage'), 'TrainingJobDefinition.AlgorithmSpecification.TrainingImage');
  if (algorithm.MetricDefinitions !== undefined) throw validationError('MetricDefinitions cannot be specified for a built-in algorithm: its metrics are predefined');
  requireString(definition, 'RoleArn', 'trainingJobDefinition.roleArn');
  requireArray(definition, 'InputDataConfig', 'trainingJobDefinition.inputDataConfig');
  requireString(requireObject(definition, 'OutputDataConfig', 'trainingJobDefinition.outputDataConfig'), 'S3OutputPath', 'trainingJobDefinition.outputDataConfig.s3OutputPath');
  requireObject(definition, 'ResourceConfig', 'trainingJobDefinition.resourceConfig');
  requireObject(definition, 'StoppingCondition', 'trainingJobDefinition.stoppingCondition');
  const staticHyperParameters = optionalStringMap(definition, 'StaticHyperParameters') ?? {};
  const tunedAndStatic = ranges.filter((range) => Object.hasOwn(staticHyperParameters, range.Name)).map((range) => range.Name);
  if (tunedAndStatic.length > 0) {
    throw validationError(`Hyperparameters ${tunedAndStatic.join(', ')} are in both StaticHyperParameters and ParameterRanges: a hyperparameter is either fixed or tuned`);
  }
  return {
    name,
    strategy: strategy as 'Bayesian' | 'Random',
    objective: { Type: type, MetricName: metricName },
    maxTrainingJobs,
    maxParallel,
    earlyStopping,
    ...(randomSeed !== undefined ? { randomSeed } : {}),
    ranges,
    config: { ...config, TrainingJobEarlyStoppingType: earlyStopping },
    definition,
    staticHyperParameters,
  };
}

function positiveInteger(input: Record<string, unknown>, field: string, path: string): number {
  const value = input[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw validationError(`1 validation error detected: Value ${JSON.stringify(value ?? null)} at '${path}' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  return value;
}

function parseRanges(ranges: Record<string, unknown>): ParameterRange[] {
  const out: ParameterRange[] = [];
  const kinds = [
    ['ContinuousParameterRanges', 'Continuous'],
    ['IntegerParameterRanges', 'Integer'],
    ['CategoricalParameterRanges', 'Categorical'],
  ] as const;
  for (const [field, kind] of kinds) {
    const list = ranges[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw validationError(`ParameterRanges.${field} must be a list, got ${JSON.stringify(list)}`);
    list.forEach((entry, index) => {
      const path = `ParameterRanges.${field}.${index + 1}`;
      if (entry === null || typeof entry !== 'object') throw validationError(`${path} must be an object, got ${JSON.stringify(entry)}`);
      const range = entry as Record<string, unknown>;
      const name = requireString(range, 'Name', `${path}.Name`);
      if (out.some((other) => other.Name === name)) throw validationError(`The hyperparameter ${name} appears in more than one parameter range`);
      if (kind === 'Categorical') {
        const values = requireArray(range, 'Values', `${path}.Values`).map(String);
        out.push({ Name: name, kind, values, ScalingType: 'Auto' });
        return;
      }
      const min = numberText(range, 'MinValue', path, kind);
      const max = numberText(range, 'MaxValue', path, kind);
      if (min > max) throw validationError(`${path}: MinValue (${min}) must be less than or equal to MaxValue (${max}) for hyperparameter ${name}`);
      const scaling = oneOf(optionalString(range, 'ScalingType') ?? 'Auto', SCALING_TYPES, `${path}.ScalingType`);
      if (scaling === 'Logarithmic' && !(min > 0)) throw validationError(`${path}: Logarithmic scaling needs MinValue above 0 for hyperparameter ${name}, got ${min}`);
      if (scaling === 'ReverseLogarithmic' && !(min >= 0 && max < 1)) {
        throw validationError(`${path}: ReverseLogarithmic scaling needs values in [0, 1) for hyperparameter ${name}, got ${min}-${max}`);
      }
      if (scaling === 'ReverseLogarithmic' && kind === 'Integer') throw validationError(`${path}: ReverseLogarithmic scaling is only valid for continuous hyperparameters (${name})`);
      out.push({ Name: name, kind, min, max, ScalingType: scaling });
    });
  }
  return out;
}

/** MinValue/MaxValue are strings in the API; an integer range takes whole numbers only. */
function numberText(range: Record<string, unknown>, field: 'MinValue' | 'MaxValue', path: string, kind: 'Continuous' | 'Integer'): number {
  const text = requireString(range, field, `${path}.${field}`);
  const value = Number(text);
  const ok = text.trim() !== '' && Number.isFinite(value) && (kind === 'Continuous' || Number.isInteger(value));
  if (!ok) throw validationError(`${path}.${field} must be ${kind === 'Integer' ? 'a whole number' : 'a number'} as a string, got ${JSON.stringify(text)}`);
  return value;
}
