-- One row per basket from its line items. Input: silver_lines.
-- Basket-level columns agree on every line of a basket, so MIN picks that value.
-- Department shares are shares of the basket's lines (PROD_CODE_40 = D00001..D00008).
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
  CAST(SUM(CASE WHEN PROD_CODE_40 = 'D00008' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS dept_share_d00008
FROM silver_lines
GROUP BY BASKET_ID
