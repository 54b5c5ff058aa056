/**
 * `training.tuning`: SageMaker automatic model tuning in place of the single training job. Off by
 * default; when on, TrainModel becomes a CreateHyperParameterTuningJob whose best training job
 * feeds the rest of the pipeline (workflow/tuning-job.ts).
 */

/** HyperParameterTuningJobConfig.Strategy values this pipeline offers (Hyperband/Grid need other shapes). */
export const TuningStrategy = { Bayesian: 'Bayesian', Random: 'Random' } as const;
export type TuningStrategy = (typeof TuningStrategy)[keyof typeof TuningStrategy];

/**
 * Objective metrics the built-in XGBoost 1.7 emits for `multi:softprob` that the local `xgboost`
 * command computes too, with SageMaker's optimization direction ("Tune an XGBoost Model").
 * `validation:accuracy` is a metric of SageMaker's container, not of XGBoost: left out so the
 * local run and AWS tune the same thing.
 */
export const TUNING_OBJECTIVES = {
  'validation:mlogloss': { type: 'Minimize', evalMetric: 'mlogloss' },
  'validation:merror': { type: 'Minimize', evalMetric: 'merror' },
} as const;
export type TuningObjectiveMetric = keyof typeof TUNING_OBJECTIVES;

/** TrainingJobEarlyStoppingType: `Auto` lets SageMaker stop trials unlikely to beat the best one. */
export const TuningEarlyStopping = { Off: 'Off', Auto: 'Auto' } as const;
export type TuningEarlyStopping = (typeof TuningEarlyStopping)[keyof typeof TuningEarlyStopping];

export interface TuningRange {
  min: number;
  max: number;
  /** ParameterRange ScalingType. @default 'Auto' */
  scaling: 'Auto' | 'Linear' | 'Logarithmic';
}

/** Hyperparameters searched: continuous (eta, subsample, min_child_weight) and integer (max_depth, num_round). */
export interface TuningRanges {
  /** @default 0.02-0.4, logarithmic */
  eta: TuningRange;
  /** @default 3-10 */
  max_depth: TuningRange;
  /** @default 1-10 */
  min_child_weight: TuningRange;
  /** @default 0.5-1 */
  subsample: TuningRange;
  /** Round cap per trial; early_stopping_rounds still ends a trial when validation stops improving. @default 200-1000 */
  num_round: TuningRange;
}

export const INTEGER_TUNED = ['max_depth', 'num_round'] as const;
export const CONTINUOUS_TUNED = ['eta', 'min_child_weight', 'subsample'] as const;

export interface TuningConfig {
  /** Tune instead of training once (`pricesense run --tuning` turns it on). @default false */
  enabled: boolean;
  /** @default 'Bayesian' (the local twin runs a seeded random search: Bayesian optimization is AWS's own) */
  strategy: TuningStrategy;
  /**
   * @default 'validation:merror' (Minimize): 1 - validation accuracy, the quantity the metric gate
   * checks on the test split. On the default data, tuning on validation:mlogloss lowered the loss
   * but not always the validation error (docs/COST.md / README figures).
   */
  objectiveMetric: TuningObjectiveMetric;
  /** ResourceLimits.MaxNumberOfTrainingJobs: trials in all, each billed as one training job. @default 12 */
  maxNumberOfTrainingJobs: number;
  /** ResourceLimits.MaxParallelTrainingJobs. @default 3 */
  maxParallelTrainingJobs: number;
  /** @default 'Off' */
  trainingJobEarlyStopping: TuningEarlyStopping;
  ranges: TuningRanges;
}

export const DEFAULT_TUNING_CONFIG: TuningConfig = {
  enabled: false,
  strategy: TuningStrategy.Bayesian,
  objectiveMetric: 'validation:merror',
  maxNumberOfTrainingJobs: 12,
  maxParallelTrainingJobs: 3,
  trainingJobEarlyStopping: TuningEarlyStopping.Off,
  ranges: {
    eta: { min: 0.02, max: 0.4, scaling: 'Logarithmic' },
    max_depth: { min: 3, max: 10, scaling: 'Auto' },
    min_child_weight: { min: 1, max: 10, scaling: 'Auto' },
    subsample: { min: 0.5, max: 1, scaling: 'Auto' },
    num_round: { min: 200, max: 1000, scaling: 'Auto' },
  },
};

/** SageMaker's ResourceLimits bounds for one tuning job (default service quotas). */
export const TUNING_MAX_TRAINING_JOBS = 500;
export const TUNING_MAX_PARALLEL_JOBS = 100;

/** Hyperparameter bounds of the built-in XGBoost (values outside fail every trial). */
const RANGE_BOUNDS: Record<keyof TuningRanges, { min: number; max: number; minExclusive?: boolean }> = {
  eta: { min: 0, max: 1, minExclusive: true },
  max_depth: { min: 1, max: 64 },
  min_child_weight: { min: 0, max: 120 },
  subsample: { min: 0, max: 1, minExclusive: true },
  num_round: { min: 1, max: 100_000 },
};

/** Everything wrong with a tuning configuration, each naming the field, the value and what is allowed. */
export function tuningProblems(tuning: TuningConfig): string[] {
  const problems: string[] = [];
  if (typeof tuning.enabled !== 'boolean') problems.push(`training.tuning.enabled must be true or false, got ${JSON.stringify(tuning.enabled)}`);
  if (!Object.values(TuningStrategy).includes(tuning.strategy)) {
    problems.push(`training.tuning.strategy must be one of ${Object.values(TuningStrategy).join(', ')}, got ${JSON.stringify(tuning.strategy)}`);
  }
  if (!Object.hasOwn(TUNING_OBJECTIVES, tuning.objectiveMetric)) {
    problems.push(`training.tuning.objectiveMetric must be one of ${Object.keys(TUNING_OBJECTIVES).join(', ')}, got ${JSON.stringify(tuning.objectiveMetric)}`);
  }
  if (!Object.values(TuningEarlyStopping).includes(tuning.trainingJobEarlyStopping)) {
    problems.push(`training.tuning.trainingJobEarlyStopping must be one of ${Object.values(TuningEarlyStopping).join(', ')}, got ${JSON.stringify(tuning.trainingJobEarlyStopping)}`);
  }
  const { maxNumberOfTrainingJobs: total, maxParallelTrainingJobs: parallel } = tuning;
  if (!Number.isInteger(total) || total < 1 || total > TUNING_MAX_TRAINING_JOBS) {
    problems.push(`training.tuning.maxNumberOfTrainingJobs must be a whole number from 1 to ${TUNING_MAX_TRAINING_JOBS}, got ${JSON.stringify(total)}`);
  }
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > TUNING_MAX_PARALLEL_JOBS) {
    problems.push(`training.tuning.maxParallelTrainingJobs must be a whole number from 1 to ${TUNING_MAX_PARALLEL_JOBS}, got ${JSON.stringify(parallel)}`);
  } else if (Number.isInteger(total) && parallel > total) {
    problems.push(`training.tuning.maxParallelTrainingJobs (${parallel}) must not exceed training.tuning.maxNumberOfTrainingJobs (${total})`);
  }
  for (const name of Object.keys(RANGE_BOUNDS) as Array<keyof TuningRanges>) {
    const range = tuning.ranges?.[name];
    const field = `training.tuning.ranges.${name}`;
    if (range === undefined || typeof range.min !== 'number' || typeof range.max !== 'number' || !Number.isFinite(range.min) || !Number.isFinite(range.max)) {
      problems.push(`${field} must be {min, max} numbers, got ${JSON.stringify(range)}`);
      continue;
    }
    const integer = (INTEGER_TUNED as readonly string[]).includes(name);
    if (integer && (!Number.isInteger(range.min) || !Number.isInteger(range.max))) {
      problems.push(`${field} must have whole-number min and max (an IntegerParameterRange), got ${range.min}-${range.max}`);
    }
    if (!(range.min < range.max)) problems.push(`${field}.min (${range.min}) must be below ${field}.max (${range.max})`);
    const bounds = RANGE_BOUNDS[name];
    const lowOk = bounds.minExclusive ? range.min > bounds.min : range.min >= bounds.min;
    if (!lowOk || range.max > bounds.max) {
      problems.push(`${field} must lie within ${bounds.minExclusive ? '(' : '['}${bounds.min}, ${bounds.max}] (XGBoost's bounds for ${name}), got ${range.min}-${range.max}`);
    }
    if (!['Auto', 'Linear', 'Logarithmic'].includes(range.scaling)) {
      problems.push(`${field}.scaling must be Auto, Linear or Logarithmic, got ${JSON.stringify(range.scaling)}`);
    } else if (range.scaling === 'Logarithmic' && !(range.min > 0)) {
      problems.push(`${field}.scaling Logarithmic needs min above 0 (SageMaker's rule), got ${range.min}`);
    }
  }
  return problems;
}

/**
 * CreateHyperParameterTuningJob.HyperParameterTuningJobName: 1-32 characters,
 * `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}`. Trials are named `<tuning job>-<NNN>-<8 hex>`.
 */
export const TUNING_JOB_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/;
export const TUNING_JOB_NAME_PREFIX = 'ps-tune';
