/**
 * How CheckDataQuality binds glue-scripts/sql/data_quality.sql on Athena (and on DuckDB locally):
 * the ExecutionParameters in the order of the query's `?` placeholders, documented in the SQL
 * file's header. Shared by the workflow (which renders them as JSONata around `$run.runId`) and
 * the local ETL tests.
 */
import type { DataQualityConfig } from './config.js';

/** The `?` placeholders of data_quality.sql, in order. */
export const DATA_QUALITY_PARAMETERS = ['runId', 'runId', 'minBaskets', 'minClassShare', 'maxUnclassifiedShare', 'maxNullRate', 'maxRejectedShare'] as const;
export type DataQualityParameter = (typeof DATA_QUALITY_PARAMETERS)[number];

/**
 * Run ids are execution names. They become S3 prefixes and, here, an SQL string literal that
 * Athena inserts as is — so validate-input refuses any other name before a run starts.
 */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_.-]{1,80}$/;

function numberLiteral(name: string, value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`dataQuality.${name} must be a finite number, got ${JSON.stringify(value)}`);
  }
  return String(value);
}

/**
 * Athena ExecutionParameters for data_quality.sql. Athena inserts each value as literal SQL, so
 * the run id becomes a quoted string literal (`'run-1'`) and the thresholds plain numbers.
 */
export function dataQualityExecutionParameters(runId: string, config: DataQualityConfig): string[] {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new Error(`run id must be 1-80 characters of letters, digits, _ . -, got ${JSON.stringify(runId)}`);
  }
  const values: Record<DataQualityParameter, string> = {
    runId: `'${runId}'`,
    minBaskets: numberLiteral('minBaskets', config.minBaskets),
    minClassShare: numberLiteral('minClassShare', config.minClassShare),
    maxUnclassifiedShare: numberLiteral('maxUnclassifiedShare', config.maxUnclassifiedShare),
    maxNullRate: numberLiteral('maxNullRate', config.maxNullRate),
    maxRejectedShare: numberLiteral('maxRejectedShare', config.maxRejectedShare),
  };
  return DATA_QUALITY_PARAMETERS.map((name) => values[name]);
}

/** Every rule data_quality.sql reports, one result row each, in result order. */
export const DATA_QUALITY_RULES = [
  'min_labelled_baskets',
  'all_classes_present',
  'min_class_share_la',
  'min_class_share_mm',
  'min_class_share_um',
  'max_unclassified_share',
  'max_null_rate_total_spend',
  'max_null_rate_spend_per_item',
  'max_null_rate_items',
  'max_null_rate_shop_hour',
  'max_null_rate_shop_weekday',
  'max_null_rate_prior_baskets',
  'range_total_spend_not_negative',
  'range_items_at_least_one',
  'range_shop_hour_0_23',
  'range_shop_weekday_1_7',
  'range_department_share_0_1',
  'finite_numbers',
  'split_train_all_classes',
  'split_validation_all_classes',
  'split_test_all_classes',
  'max_rejected_share',
] as const;
export type DataQualityRule = (typeof DATA_QUALITY_RULES)[number];

/**
 * The limit each rule is compared with. Athena takes parameters only in WHERE, so the query
 * cannot echo them; the state machine reports these next to the measured values.
 */
export function dataQualityThresholds(config: DataQualityConfig): Record<DataQualityRule, number> {
  return {
    min_labelled_baskets: config.minBaskets,
    all_classes_present: 3,
    min_class_share_la: config.minClassShare,
    min_class_share_mm: config.minClassShare,
    min_class_share_um: config.minClassShare,
    max_unclassified_share: config.maxUnclassifiedShare,
    max_null_rate_total_spend: config.maxNullRate,
    max_null_rate_spend_per_item: config.maxNullRate,
    max_null_rate_items: config.maxNullRate,
    max_null_rate_shop_hour: config.maxNullRate,
    max_null_rate_shop_weekday: config.maxNullRate,
    max_null_rate_prior_baskets: config.maxNullRate,
    range_total_spend_not_negative: 0,
    range_items_at_least_one: 0,
    range_shop_hour_0_23: 0,
    range_shop_weekday_1_7: 0,
    range_department_share_0_1: 0,
    finite_numbers: 0,
    split_train_all_classes: 3,
    split_validation_all_classes: 3,
    split_test_all_classes: 3,
    max_rejected_share: config.maxRejectedShare,
  };
}
