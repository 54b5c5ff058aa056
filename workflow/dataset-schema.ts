/**
 * The dunnhumby "Let's Get Sort-of-Real" transaction schema that every raw file must follow,
 * and the codes each categorical column may hold. Shared by the generator, validate-input,
 * the ETL tests and /predict.
 */

/** The 22 raw columns, in file order. */
export const RAW_COLUMNS = [
  'SHOP_WEEK',
  'SHOP_DATE',
  'SHOP_WEEKDAY',
  'SHOP_HOUR',
  'QUANTITY',
  'SPEND',
  'PROD_CODE',
  'PROD_CODE_10',
  'PROD_CODE_20',
  'PROD_CODE_30',
  'PROD_CODE_40',
  'CUST_CODE',
  'seg_1',
  'seg_2',
  'BASKET_ID',
  'BASKET_SIZE',
  'BASKET_PRICE_SENSITIVITY',
  'BASKET_TYPE',
  'BASKET_DOMINANT_MISSION',
  'STORE_CODE',
  'STORE_FORMAT',
  'STORE_REGION',
] as const;
export type RawColumn = (typeof RAW_COLUMNS)[number];

/** Class labels the model predicts, in the index order XGBoost uses (label 0, 1, 2). */
export const LABELS = ['LA', 'MM', 'UM'] as const;
export type Label = (typeof LABELS)[number];

/** The label of an unclassified basket: dropped from training, counted and reported. */
export const UNCLASSIFIED = 'XX';

export const BASKET_SIZES = ['S', 'M', 'L'] as const;
export const BASKET_TYPES = ['Small Shop', 'Top Up', 'Full Shop', 'XX'] as const;
export const BASKET_MISSIONS = ['Fresh', 'Grocery', 'Mixed', 'Non Food', 'XX'] as const;
export const STORE_FORMATS = ['SS', 'MS', 'LS', 'XLS'] as const;
/** STORE_REGION codes: a compass letter and two digits (E01, W02, N03, S01 ...). */
export const STORE_REGION_PATTERN = /^[ENSW]\d{2}$/;
