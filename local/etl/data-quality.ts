/**
 * How CheckDataQuality binds glue-scripts/sql/data_quality.sql: the Athena ExecutionParameters
 * in the order of the `?` placeholders (documented in the SQL file's header), and the rule
 * names its rows carry.
 */
export { DATA_QUALITY_PARAMETERS, dataQualityExecutionParameters, RUN_ID_PATTERN, type DataQualityParameter } from '../../workflow/data-quality-parameters.js';

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
