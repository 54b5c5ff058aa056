/**
 * The model's features in the order of the XGBoost CSV columns and serving/feature_list.json,
 * as glue-scripts/sql/silver_to_gold/06_model_matrix.sql selects them (a test keeps the two
 * equal). /predict builds its feature vector in this order.
 */
export const GOLD_FEATURES = [
  'store_format_code',
  'region_area_code',
  'region_number',
  'basket_type_code',
  'basket_mission_code',
  'basket_size_code',
  'shop_weekday',
  'shop_hour',
  'is_weekend',
  'items',
  'total_quantity',
  'total_spend',
  'spend_per_item',
  'spend_per_unit',
  'quantity_per_item',
  'max_line_spend',
  'distinct_departments',
  'dept_share_d00001',
  'dept_share_d00002',
  'dept_share_d00003',
  'dept_share_d00004',
  'dept_share_d00005',
  'dept_share_d00006',
  'dept_share_d00007',
  'dept_share_d00008',
  'has_customer',
  'prior_baskets',
  'prior_spend_mean',
  'prior_items_mean',
  'prior_share_la',
  'prior_share_mm',
  'prior_share_um',
  'last_shop_week',
  'prior_spend_per_item',
] as const;
export type GoldFeature = (typeof GOLD_FEATURES)[number];

/** Columns of the model matrix that are not features. */
export const MODEL_MATRIX_KEYS = ['basket_id', 'split', 'label'] as const;

/** Rows per customer_features CSV file, so feature-store ingestion can fan out. */
export const CUSTOMER_FEATURE_FILE_ROWS = 10_000;
