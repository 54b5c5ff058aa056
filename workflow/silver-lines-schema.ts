/**
 * Columns of the silver line items Parquet as the ETL declares them (Athena/Glue type names), in
 * the order the silver SQL writes them. STORE_REGION and BASKET_TYPE are the partition keys:
 * they live in the folder names (`STORE_REGION=E01/`), not in the files. No Glue table reads
 * silver today; the declaration is what the raw -> silver SQL must CAST to, so a table added
 * later and Spark and DuckDB all agree (test/local/etl/column-types.test.ts).
 */
export const SILVER_PARTITION_KEYS = ['STORE_REGION', 'BASKET_TYPE'] as const;

export const SILVER_LINE_COLUMNS: ReadonlyArray<readonly [name: string, athenaType: 'bigint' | 'int' | 'double' | 'string' | 'date']> = [
  ['SHOP_WEEK', 'int'],
  ['SHOP_DATE', 'date'],
  ['SHOP_WEEKDAY', 'int'],
  ['SHOP_HOUR', 'int'],
  ['QUANTITY', 'int'],
  ['SPEND', 'double'],
  ['PROD_CODE', 'string'],
  ['PROD_CODE_10', 'string'],
  ['PROD_CODE_20', 'string'],
  ['PROD_CODE_30', 'string'],
  ['PROD_CODE_40', 'string'],
  ['CUST_CODE', 'string'],
  ['seg_1', 'string'],
  ['seg_2', 'string'],
  ['BASKET_ID', 'bigint'],
  ['BASKET_SIZE', 'string'],
  ['BASKET_PRICE_SENSITIVITY', 'string'],
  ['BASKET_TYPE', 'string'],
  ['BASKET_DOMINANT_MISSION', 'string'],
  ['STORE_CODE', 'string'],
  ['STORE_FORMAT', 'string'],
  ['STORE_REGION', 'string'],
];
