-- Counts for the job's _stats.json: rows in, rows rejected per reason (a row breaking several
-- rules counts under each), duplicates removed, lines of inconsistent baskets rejected and rows
-- written. The reasons are RejectReason of tasks/core/validate-input/valid-row.ts.
-- Inputs: typed_lines (01: distinct lines, each counting LINE_COUNT raw lines), valid_lines (02),
-- silver_lines (03).
SELECT
  t.rows_in,
  t.invalid_shop_week,
  t.invalid_shop_date,
  t.invalid_weekday_or_hour,
  t.invalid_quantity,
  t.invalid_spend,
  t.missing_required_code,
  t.invalid_code,
  t.control_character,
  t.rows_valid,
  t.rows_valid - v.rows_distinct AS duplicates_removed,
  v.rows_distinct - s.rows_out AS inconsistent_basket,
  s.rows_out
FROM (
  SELECT
    COALESCE(SUM(LINE_COUNT), 0) AS rows_in,
    SUM(CASE WHEN SHOP_WEEK IS NULL THEN LINE_COUNT ELSE 0 END) AS invalid_shop_week,
    SUM(CASE WHEN SHOP_DATE IS NULL THEN LINE_COUNT ELSE 0 END) AS invalid_shop_date,
    SUM(CASE WHEN SHOP_WEEKDAY IS NULL OR SHOP_HOUR IS NULL THEN LINE_COUNT ELSE 0 END) AS invalid_weekday_or_hour,
    SUM(CASE WHEN QUANTITY IS NULL THEN LINE_COUNT ELSE 0 END) AS invalid_quantity,
    SUM(CASE WHEN SPEND IS NULL THEN LINE_COUNT ELSE 0 END) AS invalid_spend,
    SUM(CASE WHEN PROD_CODE IS NULL OR PROD_CODE_40 IS NULL OR BASKET_ID IS NULL OR STORE_CODE IS NULL THEN LINE_COUNT ELSE 0 END) AS missing_required_code,
    SUM(CASE WHEN BASKET_SIZE IS NULL OR BASKET_PRICE_SENSITIVITY IS NULL OR BASKET_TYPE IS NULL
              OR BASKET_DOMINANT_MISSION IS NULL OR STORE_FORMAT IS NULL OR STORE_REGION IS NULL THEN LINE_COUNT ELSE 0 END) AS invalid_code,
    SUM(CASE WHEN TEXT_OK THEN 0 ELSE LINE_COUNT END) AS control_character,
    SUM(CASE WHEN SHOP_WEEK IS NOT NULL AND SHOP_DATE IS NOT NULL AND SHOP_WEEKDAY IS NOT NULL AND SHOP_HOUR IS NOT NULL
              AND QUANTITY IS NOT NULL AND SPEND IS NOT NULL
              AND PROD_CODE IS NOT NULL AND PROD_CODE_40 IS NOT NULL AND BASKET_ID IS NOT NULL AND STORE_CODE IS NOT NULL
              AND BASKET_SIZE IS NOT NULL AND BASKET_PRICE_SENSITIVITY IS NOT NULL AND BASKET_TYPE IS NOT NULL
              AND BASKET_DOMINANT_MISSION IS NOT NULL AND STORE_FORMAT IS NOT NULL AND STORE_REGION IS NOT NULL
              AND TEXT_OK THEN LINE_COUNT ELSE 0 END) AS rows_valid
  FROM typed_lines
) t
CROSS JOIN (SELECT COUNT(*) AS rows_distinct FROM valid_lines) v
CROSS JOIN (SELECT COUNT(*) AS rows_out FROM silver_lines) s
