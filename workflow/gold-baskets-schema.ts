/**
 * Columns of the gold baskets Parquet (one row per basket) as the Glue catalog declares them for
 * Athena, in the order the gold SQL writes them. `run_id` is the partition key, not a column.
 * Athena reads Parquet by column name and fails on a declared type that does not match the file,
 * so the gold SQL CASTs every column to the type declared here (Spark types SUM/COUNT as BIGINT,
 * DuckDB may differ) and test/local/etl/column-types.test.ts checks declaration, CASTs and the
 * Parquet written against each other, column by column.
 */
export const GOLD_BASKET_COLUMNS: ReadonlyArray<readonly [name: string, athenaType: 'bigint' | 'int' | 'double' | 'string' | 'date']> = [
  ['basket_id', 'bigint'],
  ['shop_week', 'int'],
  ['shop_date', 'date'],
  ['customer_id', 'string'],
  ['store_code', 'string'],
  ['store_region', 'string'],
  ['label_code', 'string'],
  ['label', 'int'],
  ['split', 'string'],
  ['store_format_code', 'int'],
  ['region_area_code', 'int'],
  ['region_number', 'int'],
  ['basket_type_code', 'int'],
  ['basket_mission_code', 'int'],
  ['basket_size_code', 'int'],
  ['shop_weekday', 'int'],
  ['shop_hour', 'int'],
  ['is_weekend', 'int'],
  ['items', 'bigint'],
  ['total_quantity', 'bigint'],
  ['total_spend', 'double'],
  ['spend_per_item', 'double'],
  ['spend_per_unit', 'double'],
  ['quantity_per_item', 'double'],
  ['max_line_spend', 'double'],
  ['distinct_departments', 'bigint'],
  ['dept_share_d00001', 'double'],
  ['dept_share_d00002', 'double'],
  ['dept_share_d00003', 'double'],
  ['dept_share_d00004', 'double'],
  ['dept_share_d00005', 'double'],
  ['dept_share_d00006', 'double'],
  ['dept_share_d00007', 'double'],
  ['dept_share_d00008', 'double'],
  ['price_ratio_mean', 'double'],
  ['price_ratio_spread', 'double'],
  ['share_above_reference', 'double'],
  ['share_below_reference', 'double'],
  ['has_customer', 'int'],
  ['prior_baskets', 'bigint'],
  ['prior_spend_mean', 'double'],
  ['prior_items_mean', 'double'],
  ['prior_share_la', 'double'],
  ['prior_share_mm', 'double'],
  ['prior_share_um', 'double'],
  ['weeks_since_last_shop', 'int'],
  ['prior_spend_per_item', 'double'],
  ['prior_price_ratio_mean', 'double'],
];

/**
 * Columns of the silver-stats Parquet (one row per run, under gold/run_id=<id>/silver_stats/):
 * the counts of glue-scripts/sql/raw_to_silver/06_silver_stats.sql, with the same names, that
 * SilverToGold copies from silver's _stats.json so data_quality.sql can check the share of raw
 * rows rejected in silver. `run_id` is the partition key.
 */
export const SILVER_STATS_COLUMNS = [
  'rows_in',
  'invalid_shop_week',
  'invalid_shop_date',
  'invalid_weekday_or_hour',
  'invalid_quantity',
  'invalid_spend',
  'missing_required_code',
  'invalid_code',
  'control_character',
  'rows_valid',
  'duplicates_removed',
  'inconsistent_basket',
  'rows_out',
] as const;
export type SilverStatsColumn = (typeof SILVER_STATS_COLUMNS)[number];

/** The per-reason columns of SILVER_STATS_COLUMNS: why a raw row was rejected (a row may count under several). */
export const SILVER_REJECT_REASONS = [
  'invalid_shop_week',
  'invalid_shop_date',
  'invalid_weekday_or_hour',
  'invalid_quantity',
  'invalid_spend',
  'missing_required_code',
  'invalid_code',
  'control_character',
  'inconsistent_basket',
] as const satisfies readonly SilverStatsColumn[];
export type SilverRejectReason = (typeof SILVER_REJECT_REASONS)[number];
