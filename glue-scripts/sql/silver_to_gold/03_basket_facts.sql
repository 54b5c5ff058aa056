-- One row per basket from its line items. Inputs: silver_lines, reference_prices (02).
-- Basket-level columns agree on every line of a basket, so MIN picks that value.
-- Department shares are shares of the basket's lines (PROD_CODE_40 = D00001..D00008).
-- Price position: each line's price_ratio = LN(unit price / reference), the reference being the
-- product's, else its group's (02); NULL without a reference or with SPEND 0 (an unpriced line).
-- A line is above (below) its reference when it costs more than 1.25 x (less than 1 / 1.25 x)
-- of it: a quarter, a plain retail margin, symmetric in log space and wide against ordinary
-- price noise; the mean and spread of the ratio carry the rest for the model to split on.
SELECT
  BASKET_ID AS basket_id,
  MIN(SHOP_WEEK) AS shop_week,
  MIN(SHOP_DATE) AS shop_date,
  MIN(SHOP_WEEKDAY) AS shop_weekday,
  MIN(SHOP_HOUR) AS shop_hour,
  MIN(CUST_CODE) AS customer_id,
  MIN(BASKET_PRICE_SENSITIVITY) AS label_code,
  MIN(BASKET_SIZE) AS basket_size,
  MIN(BASKET_TYPE) AS basket_type,
  MIN(BASKET_DOMINANT_MISSION) AS basket_mission,
  MIN(STORE_CODE) AS store_code,
  MIN(STORE_FORMAT) AS store_format,
  MIN(STORE_REGION) AS store_region,
  COUNT(*) AS items,
  SUM(QUANTITY) AS total_quantity,
  SUM(SPEND) AS total_spend,
  MAX(SPEND) AS max_line_spend,
  COUNT(DISTINCT PROD_CODE_40) AS distinct_departments,
  CAST(SUM(CASE WHEN PROD_CODE_40 = 'D00001' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS dept_share_d00001,
  CAST(SUM(CASE WHEN PROD_CODE_40 = 'D00002' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS dept_share_d00002,
  CAST(SUM(CASE WHEN PROD_CODE_40 = 'D00003' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS dept_share_d00003,
  CAST(SUM(CASE WHEN PROD_CODE_40 = 'D00004' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS dept_share_d00004,
  CAST(SUM(CASE WHEN PROD_CODE_40 = 'D00005' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS dept_share_d00005,
  CAST(SUM(CASE WHEN PROD_CODE_40 = 'D00006' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS dept_share_d00006,
  CAST(SUM(CASE WHEN PROD_CODE_40 = 'D00007' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS dept_share_d00007,
  CAST(SUM(CASE WHEN PROD_CODE_40 = 'D00008' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS dept_share_d00008,
  COUNT(price_ratio) AS priced_lines,
  SUM(price_ratio) AS price_ratio_sum,
  STDDEV_POP(price_ratio) AS price_ratio_spread,
  SUM(CASE WHEN price_ratio > LN(1.25) THEN 1 ELSE 0 END) AS lines_above_reference,
  SUM(CASE WHEN price_ratio < -LN(1.25) THEN 1 ELSE 0 END) AS lines_below_reference
FROM (
  SELECT
    l.*,
    CASE WHEN l.SPEND > 0 AND COALESCE(p.reference_price, g.reference_price) > 0
      THEN LN((l.SPEND / l.QUANTITY) / COALESCE(p.reference_price, g.reference_price)) END AS price_ratio
  FROM silver_lines l
  LEFT JOIN reference_prices p ON p.level = 'product' AND p.code = l.PROD_CODE
  LEFT JOIN reference_prices g ON g.level = 'group' AND g.code = l.PROD_CODE_30
) lines
GROUP BY BASKET_ID
