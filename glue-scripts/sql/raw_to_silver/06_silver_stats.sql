-- Counts for the job's _stats.json: rows in, rows rejected per reason (a row breaking several
-- rules counts under each), duplicates removed, lines of inconsistent baskets rejected and rows
-- written. The reasons are RejectReason of tasks/core/validate-input/valid-row.ts.
-- Inputs: typed_lines (01: one row per raw line), repeated_lines (03: each repeated valid line
-- once with its count), silver_lines (05). The distinct valid lines are rows_valid less the
-- duplicates; those not written are the lines of inconsistent baskets.
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
  d.duplicates_removed,
  t.rows_valid - d.duplicates_removed - s.rows_out AS inconsistent_basket,
  s.rows_out
FROM (
  SELECT
    COUNT(*) AS rows_in,
    COUNT(CASE WHEN SHOP_WEEK IS NULL THEN 1 END) AS invalid_shop_week,
    COUNT(CASE WHEN SHOP_DATE IS NULL THEN 1 END) AS invalid_shop_date,
    COUNT(CASE WHEN SHOP_WEEKDAY IS NULL OR SHOP_HOUR IS NULL THEN 1 END) AS invalid_weekday_or_hour,
    COUNT(CASE WHEN QUANTITY IS NULL THEN 1 END) AS invalid_quantity,
    COUNT(CASE WHEN SPEND IS NULL THEN 1 END) AS invalid_spend,
    COUNT(CASE WHEN PROD_CODE IS NULL OR PROD_CODE_40 IS NULL OR BASKET_ID IS NULL OR STORE_CODE IS NULL THEN 1 END) AS missing_required_code,
    COUNT(CASE WHEN BASKET_SIZE IS NULL OR BASKET_PRICE_SENSITIVITY IS NULL OR BASKET_TYPE IS NULL
                OR BASKET_DOMINANT_MISSION IS NULL OR STORE_FORMAT IS NULL OR STORE_REGION IS NULL THEN 1 END) AS invalid_code,
    COUNT(CASE WHEN TEXT_OK THEN NULL ELSE 1 END) AS control_character,
    COUNT(CASE WHEN SHOP_WEEK IS NOT NULL AND SHOP_DATE IS NOT NULL AND SHOP_WEEKDAY IS NOT NULL AND SHOP_HOUR IS NOT NULL
                AND QUANTITY IS NOT NULL AND SPEND IS NOT NULL
                AND PROD_CODE IS NOT NULL AND PROD_CODE_40 IS NOT NULL AND BASKET_ID IS NOT NULL AND STORE_CODE IS NOT NULL
                AND BASKET_SIZE IS NOT NULL AND BASKET_PRICE_SENSITIVITY IS NOT NULL AND BASKET_TYPE IS NOT NULL
                AND BASKET_DOMINANT_MISSION IS NOT NULL AND STORE_FORMAT IS NOT NULL AND STORE_REGION IS NOT NULL
                AND TEXT_OK THEN 1 END) AS rows_valid
  FROM typed_lines
) t
CROSS JOIN (SELECT COALESCE(SUM(LINE_COUNT - 1), 0) AS duplicates_removed FROM repeated_lines) d
CROSS JOIN (SELECT COUNT(*) AS rows_out FROM silver_lines) s
