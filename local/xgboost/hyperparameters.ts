/**
 * Translation of SageMaker built-in XGBoost 1.7 hyperparameters (all strings) into the settings of
 * the `xgboost` 1.7 command. Most names are XGBoost's own; the SageMaker-only ones are handled
 * here: `num_round` is required, `eval_metric` may be a comma-separated list, and
 * `early_stopping_rounds` is not understood by the command, so training emulates it.
 */

export class HyperparameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HyperparameterError';
  }
}

/** XGBoost 1.7 learner, tree-booster and objective parameters passed to the command as they are. */
const PASS_THROUGH = new Set([
  'booster', 'verbosity', 'nthread', 'disable_default_eval_metric', 'eta', 'learning_rate', 'gamma',
  'min_split_loss', 'max_depth', 'min_child_weight', 'max_delta_step', 'subsample', 'sampling_method',
  'colsample_bytree', 'colsample_bylevel', 'colsample_bynode', 'lambda', 'reg_lambda', 'alpha',
  'reg_alpha', 'tree_method', 'sketch_eps', 'scale_pos_weight', 'updater', 'refresh_leaf',
  'process_type', 'grow_policy', 'max_leaves', 'max_bin', 'predictor', 'num_parallel_tree',
  'monotone_constraints', 'interaction_constraints', 'max_cat_to_onehot', 'max_cat_threshold',
  'objective', 'num_class', 'base_score', 'seed', 'seed_per_iteration', 'tweedie_variance_power',
  'huber_slope', 'single_precision_histogram', 'deterministic_histogram', 'dsplit',
]);

/** SageMaker-side settings with no meaning for a local single-process run. */
const IGNORED = new Set(['save_model_on_termination', 'prob_buffer_row', 'use_dask_gpu_training', 'kfold']);

const MAXIMIZED_METRICS = /^(auc|aucpr|map|ndcg|pre)(@|$)/;

/** Whether a larger value of this XGBoost metric is better (as XGBoost's early stopping decides). */
export function isMaximizedMetric(metric: string): boolean {
  return MAXIMIZED_METRICS.test(metric);
}

export interface XgboostTrainingSettings {
  /** `key = value` settings for the config file, in a stable order. */
  settings: Array<[string, string]>;
  numRound: number;
  numClass: number | undefined;
  /** Metrics in the order XGBoost evaluates them (empty = the objective's default); early stopping watches the last one. */
  evalMetrics: string[];
  earlyStoppingRounds: number | undefined;
}

function positiveInteger(name: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new HyperparameterError(`hyperparameter ${name}=${JSON.stringify(value)} is invalid: expected a positive integer`);
  }
  return Number(value);
}

export function translateHyperparameters(hyperparameters: Record<string, string>): XgboostTrainingSettings {
  const settings: Array<[string, string]> = [];
  let numRound: number | undefined;
  let numClass: number | undefined;
  let evalMetrics: string[] = [];
  let earlyStoppingRounds: number | undefined;

  for (const [name, raw] of Object.entries(hyperparameters)) {
    const value = String(raw).trim();
    if (/[\n\r#"]/.test(value) || value === '') {
      throw new HyperparameterError(`hyperparameter ${name}=${JSON.stringify(raw)} is invalid: expected a non-empty value without newlines, "#" or quotes`);
    }
    if (name.startsWith('_') || IGNORED.has(name)) continue;
    switch (name) {
      case 'num_round':
        numRound = positiveInteger(name, value);
        break;
      case 'early_stopping_rounds':
        earlyStoppingRounds = positiveInteger(name, value);
        break;
      case 'eval_metric':
        evalMetrics = value.split(',').map((metric) => metric.trim()).filter(Boolean);
        break;
      case 'csv_weights':
        if (value !== '0') {
          throw new HyperparameterError('hyperparameter csv_weights=1 is not supported locally: expected 0 (no instance-weight column)');
        }
        break;
      case 'booster':
        if (value !== 'gbtree') {
          throw new HyperparameterError(`hyperparameter booster=${JSON.stringify(value)} is not supported locally: expected "gbtree" (the only booster the scorer reads)`);
        }
        settings.push([name, value]);
        break;
      default:
        if (!PASS_THROUGH.has(name)) {
          throw new HyperparameterError(
            `unknown hyperparameter ${JSON.stringify(name)}: expected num_round, early_stopping_rounds, eval_metric, csv_weights or an XGBoost 1.7 parameter (${[...PASS_THROUGH].join(', ')})`,
          );
        }
        if (name === 'num_class') numClass = positiveInteger(name, value);
        settings.push([name, value]);
    }
  }
  if (numRound === undefined) {
    throw new HyperparameterError('hyperparameter num_round is required (SageMaker XGBoost requires it): expected a positive integer');
  }
  const objective = hyperparameters['objective'] ?? 'reg:squarederror';
  if (objective.startsWith('multi:') && numClass === undefined) {
    throw new HyperparameterError(`objective ${objective} needs hyperparameter num_class (the number of classes)`);
  }
  return { settings, numRound, numClass, evalMetrics, earlyStoppingRounds };
}
