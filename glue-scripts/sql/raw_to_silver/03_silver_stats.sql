-- Counts for the job's _stats.json: rows in, rows rejected (with the reason that applied
-- first), duplicates removed and rows written. Inputs: typed_lines (01), silver_lines (02).
SELECT
  t.rows_in,
  t.invalid_shop_week,
  t.invalid_shop_date,
  t.invalid_weekday_or_hour,
  t.invalid_quantity,
  t.invalid_spend,
  t.missing_required_code,
  t.rows_valid,
  t.rows_valid - s.rows_out AS duplicates_removed,
  s.rows_out
FROM (
  SELECT
    COUNT(*) AS rows_in,
    SUM(CASE WHEN SHOP_WEEK IS NULL THEN 1 ELSE 0 END) AS invalid_shop_week,
    SUM(CASE WHEN SHOP_DATE IS NULL THEN 1 ELSE 0 END) AS invalid_shop_date,
    SUM(CASE WHEN SHOP_WEEKDAY IS NULL OR SHOP_WEEKDAY NOT BETWEEN 1 AND 7
              OR SHOP_HOUR IS NULL OR SHOP_HOUR NOT BETWEEN 0 AND 23 THEN 1 ELSE 0 END) AS invalid_weekday_or_hour,
    SUM(CASE WHEN QUANTITY IS NULL OR QUANTITY < 1 THEN 1 ELSE 0 END) AS invalid_quantity,
    SUM(CASE WHEN SPEND IS NULL OR SPEND < 0 THEN 1 ELSE 0 END) AS invalid_spend,
    SUM(CASE WHEN PROD_CODE IS NULL OR PROD_CODE_40 IS NULL OR BASKET_ID IS NULL
              OR BASKET_PRICE_SENSITIVITY IS NULL OR BASKET_TYPE IS NULL
              OR STORE_CODE IS NULL OR STORE_REGION IS NULL THEN 1 ELSE 0 END) AS missing_required_code,
    SUM(CASE WHEN SHOP_WEEK IS NOT NULL AND SHOP_DATE IS NOT NULL
              AND SHOP_WEEKDAY BETWEEN 1 AND 7 AND SHOP_HOUR BETWEEN 0 AND 23
              AND QUANTITY >= 1 AND SPEND >= 0
              AND PROD_CODE IS NOT NULL AND PROD_CODE_40 IS NOT NULL AND BASKET_ID IS NOT NULL
              AND BASKET_PRICE_SENSITIVITY IS NOT NULL AND BASKET_TYPE IS NOT NULL
              AND STORE_CODE IS NOT NULL AND STORE_REGION IS NOT NULL THEN 1 ELSE 0 END) AS rows_valid
  FROM typed_lines
) t
CROSS JOIN (SELECT COUNT(*) AS rows_out FROM silver_lines) s
