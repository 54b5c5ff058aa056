/**
 * The model's features in the order of the XGBoost CSV columns and serving/feature_list.json,
 * as glue-scripts/sql/silver_to_gold/07_model_matrix.sql selects them (a test keeps the two
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
  'price_ratio_mean',
  'price_ratio_spread',
  'share_above_reference',
  'share_below_reference',
  'has_customer',
  'prior_baskets',
  'prior_spend_mean',
  'prior_items_mean',
  'prior_share_la',
  'prior_share_mm',
  'prior_share_um',
  'weeks_since_last_shop',
  'prior_spend_per_item',
  'prior_price_ratio_mean',
] as const;
export type GoldFeature = (typeof GOLD_FEATURES)[number];

/** Columns of the model matrix that are not features. */
export const MODEL_MATRIX_KEYS = ['basket_id', 'split', 'label'] as const;

/** Rows per customer_features CSV file, so feature-store ingestion can fan out. */
export const CUSTOMER_FEATURE_FILE_ROWS = 10_000;

/**
 * Reference unit prices the relative-price features compare each line with
 * (glue-scripts/sql/silver_to_gold/02_reference_prices.sql), as the gold job writes them to
 * serving/REFERENCE_PRICES_FILE: per product, and per product group (PROD_CODE_30) for a product
 * the training window did not see. They belong to the model trained on that gold run.
 */
export const REFERENCE_PRICES_FILE = 'reference_prices.json';

export interface ReferencePrices {
  /** PROD_CODE -> median unit price over the training window. */
  product: Record<string, number>;
  /** PROD_CODE_30 -> median unit price over the training window. */
  group: Record<string, number>;
}

/** A line counts as above (below) its reference beyond this log ratio (1.25x; 02/03 SQL use LN(1.25)). */
export const REFERENCE_MARGIN_LOG = Math.log(1.25);
