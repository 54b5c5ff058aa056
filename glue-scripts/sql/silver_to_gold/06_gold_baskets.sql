-- One row per basket: ids, the label (0/1/2, NULL for XX), the split and every model feature.
-- Inputs: basket_facts (03), customer_history (05), category_encodings (01).
-- XX-labelled baskets stay here with split = 'unclassified' so data quality can count them;
-- they never reach the model matrix (07). The split is deterministic: BASKET_ID modulo 10,
-- 0-7 train, 8 validation, 9 test. Customer features come from earlier weeks only (05);
-- without a card or history they are 0 (prior_baskets = 0 tells the model there is none).
-- Every column is CAST to the type the Glue catalog declares (workflow/gold-baskets-schema.ts):
-- Spark and DuckDB type SUM, COUNT and literals differently, so nothing is left to inference.
-- weeks_since_last_shop counts fiscal weeks on a 52-week year (YYYYWW -> YYYY x 52 + WW), so it
-- stays meaningful for a basket of any later week, where an absolute YYYYWW would not.
SELECT
  CAST(b.basket_id AS BIGINT) AS basket_id,
  CAST(b.shop_week AS INT) AS shop_week,
  CAST(b.shop_date AS DATE) AS shop_date,
  CAST(b.customer_id AS STRING) AS customer_id,
  CAST(b.store_code AS STRING) AS store_code,
  CAST(b.store_region AS STRING) AS store_region,
  CAST(b.label_code AS STRING) AS label_code,
  CAST(lab.code AS INT) AS label,
  CAST(CASE
    WHEN lab.code IS NULL THEN 'unclassified'
    WHEN b.basket_id % 10 < 8 THEN 'train'
    WHEN b.basket_id % 10 = 8 THEN 'validation'
    ELSE 'test'
  END AS STRING) AS split,
  CAST(COALESCE(fmt.code, -1) AS INT) AS store_format_code,
  CAST(COALESCE(area.code, -1) AS INT) AS region_area_code,
  CAST(COALESCE(TRY_CAST(SUBSTR(b.store_region, 2, 2) AS INT), -1) AS INT) AS region_number,
  CAST(COALESCE(btype.code, -1) AS INT) AS basket_type_code,
  CAST(COALESCE(mission.code, -1) AS INT) AS basket_mission_code,
  CAST(COALESCE(size.code, -1) AS INT) AS basket_size_code,
  CAST(b.shop_weekday AS INT) AS shop_weekday,
  CAST(b.shop_hour AS INT) AS shop_hour,
  CAST(CASE WHEN b.shop_weekday IN (1, 7) THEN 1 ELSE 0 END AS INT) AS is_weekend,
  CAST(b.items AS BIGINT) AS items,
  CAST(b.total_quantity AS BIGINT) AS total_quantity,
  CAST(b.total_spend AS DOUBLE) AS total_spend,
  CAST(b.total_spend / b.items AS DOUBLE) AS spend_per_item,
  CAST(b.total_spend / b.total_quantity AS DOUBLE) AS spend_per_unit,
  CAST(CAST(b.total_quantity AS DOUBLE) / b.items AS DOUBLE) AS quantity_per_item,
  CAST(b.max_line_spend AS DOUBLE) AS max_line_spend,
  CAST(b.distinct_departments AS BIGINT) AS distinct_departments,
  CAST(b.dept_share_d00001 AS DOUBLE) AS dept_share_d00001,
  CAST(b.dept_share_d00002 AS DOUBLE) AS dept_share_d00002,
  CAST(b.dept_share_d00003 AS DOUBLE) AS dept_share_d00003,
  CAST(b.dept_share_d00004 AS DOUBLE) AS dept_share_d00004,
  CAST(b.dept_share_d00005 AS DOUBLE) AS dept_share_d00005,
  CAST(b.dept_share_d00006 AS DOUBLE) AS dept_share_d00006,
  CAST(b.dept_share_d00007 AS DOUBLE) AS dept_share_d00007,
  CAST(b.dept_share_d00008 AS DOUBLE) AS dept_share_d00008,
  CAST(CASE WHEN b.priced_lines > 0 THEN b.price_ratio_sum / b.priced_lines ELSE 0 END AS DOUBLE) AS price_ratio_mean,
  CAST(COALESCE(b.price_ratio_spread, 0) AS DOUBLE) AS price_ratio_spread,
  CAST(CASE WHEN b.priced_lines > 0 THEN CAST(b.lines_above_reference AS DOUBLE) / b.priced_lines ELSE 0 END AS DOUBLE) AS share_above_reference,
  CAST(CASE WHEN b.priced_lines > 0 THEN CAST(b.lines_below_reference AS DOUBLE) / b.priced_lines ELSE 0 END AS DOUBLE) AS share_below_reference,
  CAST(CASE WHEN b.customer_id IS NULL THEN 0 ELSE 1 END AS INT) AS has_customer,
  CAST(COALESCE(h.prior_baskets, 0) AS BIGINT) AS prior_baskets,
  CAST(CASE WHEN h.prior_baskets > 0 THEN h.prior_spend / h.prior_baskets ELSE 0 END AS DOUBLE) AS prior_spend_mean,
  CAST(CASE WHEN h.prior_baskets > 0 THEN CAST(h.prior_items AS DOUBLE) / h.prior_baskets ELSE 0 END AS DOUBLE) AS prior_items_mean,
  CAST(CASE WHEN h.prior_la + h.prior_mm + h.prior_um > 0
    THEN CAST(h.prior_la AS DOUBLE) / (h.prior_la + h.prior_mm + h.prior_um) ELSE 0 END AS DOUBLE) AS prior_share_la,
  CAST(CASE WHEN h.prior_la + h.prior_mm + h.prior_um > 0
    THEN CAST(h.prior_mm AS DOUBLE) / (h.prior_la + h.prior_mm + h.prior_um) ELSE 0 END AS DOUBLE) AS prior_share_mm,
  CAST(CASE WHEN h.prior_la + h.prior_mm + h.prior_um > 0
    THEN CAST(h.prior_um AS DOUBLE) / (h.prior_la + h.prior_mm + h.prior_um) ELSE 0 END AS DOUBLE) AS prior_share_um,
  CAST(CASE WHEN h.last_shop_week IS NULL THEN 0
    ELSE (CAST((b.shop_week - b.shop_week % 100) / 100 AS INT) * 52 + b.shop_week % 100)
       - (CAST((h.last_shop_week - h.last_shop_week % 100) / 100 AS INT) * 52 + h.last_shop_week % 100) END AS INT) AS weeks_since_last_shop,
  CAST(CASE WHEN h.prior_items > 0 THEN h.prior_spend / h.prior_items ELSE 0 END AS DOUBLE) AS prior_spend_per_item,
  CAST(CASE WHEN h.prior_priced_lines > 0 THEN h.prior_price_ratio_sum / h.prior_priced_lines ELSE 0 END AS DOUBLE) AS prior_price_ratio_mean
FROM basket_facts b
LEFT JOIN category_encodings lab ON lab.feature = 'label' AND lab.category = b.label_code
LEFT JOIN category_encodings fmt ON fmt.feature = 'store_format' AND fmt.category = b.store_format
LEFT JOIN category_encodings area ON area.feature = 'region_area' AND area.category = SUBSTR(b.store_region, 1, 1)
LEFT JOIN category_encodings btype ON btype.feature = 'basket_type' AND btype.category = b.basket_type
LEFT JOIN category_encodings mission ON mission.feature = 'basket_mission' AND mission.category = b.basket_mission
LEFT JOIN category_encodings size ON size.feature = 'basket_size' AND size.category = b.basket_size
LEFT JOIN customer_history h ON h.customer_id = b.customer_id AND h.shop_week = b.shop_week
