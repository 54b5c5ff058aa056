/**
 * How CheckDataQuality binds glue-scripts/sql/data_quality.sql: the Athena ExecutionParameters
 * in the order of the `?` placeholders (documented in the SQL file's header), and the rule
 * names its rows carry.
 */
import type { DataQualityConfig } from '../../workflow/config.js';

/** The `?` placeholders of data_quality.sql, in order. */
export const DATA_QUALITY_PARAMETERS = ['runId', 'minBaskets', 'minClassShare', 'maxUnclassifiedShare', 'maxNullRate'] as const;
export type DataQualityParameter = (typeof DATA_QUALITY_PARAMETERS)[number];

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
] as const;
export type DataQualityRule = (typeof DATA_QUALITY_RULES)[number];

/** Run ids are execution names; anything else could break out of the SQL string literal. */
const RUN_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,80}$/;

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
    throw new Error(`run id must be 1-80 characters of letters, digits, _ . : -, got ${JSON.stringify(runId)}`);
  }
  const values: Record<DataQualityParameter, string> = {
    runId: `'${runId}'`,
    minBaskets: numberLiteral('minBaskets', config.minBaskets),
    minClassShare: numberLiteral('minClassShare', config.minClassShare),
    maxUnclassifiedShare: numberLiteral('maxUnclassifiedShare', config.maxUnclassifiedShare),
    maxNullRate: numberLiteral('maxNullRate', config.maxNullRate),
  };
  return DATA_QUALITY_PARAMETERS.map((name) => values[name]);
}
