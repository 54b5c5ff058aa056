-- One row per basket: ids, the label (0/1/2, NULL for XX), the split and every model feature.
-- Inputs: basket_facts (02), customer_history (04), category_encodings (01).
-- XX-labelled baskets stay here with split = 'unclassified' so data quality can count them;
-- they never reach the model matrix (06). The split is deterministic: BASKET_ID modulo 10,
-- 0-7 train, 8 validation, 9 test. Customer features come from earlier weeks only (04);
-- without a card or history they are 0 (prior_baskets = 0 tells the model there is none).
SELECT
  b.basket_id,
  b.shop_week,
  b.shop_date,
  b.customer_id,
  b.store_code,
  b.store_region,
  b.label_code,
  lab.code AS label,
  CASE
    WHEN lab.code IS NULL THEN 'unclassified'
    WHEN b.basket_id % 10 < 8 THEN 'train'
    WHEN b.basket_id % 10 = 8 THEN 'validation'
    ELSE 'test'
  END AS split,
  COALESCE(fmt.code, -1) AS store_format_code,
  COALESCE(area.code, -1) AS region_area_code,
  COALESCE(TRY_CAST(SUBSTR(b.store_region, 2, 2) AS INT), -1) AS region_number,
  COALESCE(btype.code, -1) AS basket_type_code,
  COALESCE(mission.code, -1) AS basket_mission_code,
  COALESCE(size.code, -1) AS basket_size_code,
  b.shop_weekday,
  b.shop_hour,
  CASE WHEN b.shop_weekday IN (1, 7) THEN 1 ELSE 0 END AS is_weekend,
  b.items,
  b.total_quantity,
  b.total_spend,
  b.total_spend / b.items AS spend_per_item,
  b.total_spend / b.total_quantity AS spend_per_unit,
  CAST(b.total_quantity AS DOUBLE) / b.items AS quantity_per_item,
  b.max_line_spend,
  b.distinct_departments,
  b.dept_share_d00001,
  b.dept_share_d00002,
  b.dept_share_d00003,
  b.dept_share_d00004,
  b.dept_share_d00005,
  b.dept_share_d00006,
  b.dept_share_d00007,
  b.dept_share_d00008,
  CASE WHEN b.customer_id IS NULL THEN 0 ELSE 1 END AS has_customer,
  COALESCE(h.prior_baskets, 0) AS prior_baskets,
  CASE WHEN h.prior_baskets > 0 THEN h.prior_spend / h.prior_baskets ELSE 0 END AS prior_spend_mean,
  CASE WHEN h.prior_baskets > 0 THEN CAST(h.prior_items AS DOUBLE) / h.prior_baskets ELSE 0 END AS prior_items_mean,
  CASE WHEN h.prior_la + h.prior_mm + h.prior_um > 0
    THEN CAST(h.prior_la AS DOUBLE) / (h.prior_la + h.prior_mm + h.prior_um) ELSE 0 END AS prior_share_la,
  CASE WHEN h.prior_la + h.prior_mm + h.prior_um > 0
    THEN CAST(h.prior_mm AS DOUBLE) / (h.prior_la + h.prior_mm + h.prior_um) ELSE 0 END AS prior_share_mm,
  CASE WHEN h.prior_la + h.prior_mm + h.prior_um > 0
    THEN CAST(h.prior_um AS DOUBLE) / (h.prior_la + h.prior_mm + h.prior_um) ELSE 0 END AS prior_share_um,
  COALESCE(h.last_shop_week, 0) AS last_shop_week,
  CASE WHEN h.prior_items > 0 THEN h.prior_spend / h.prior_items ELSE 0 END AS prior_spend_per_item
FROM basket_facts b
LEFT JOIN category_encodings lab ON lab.feature = 'label' AND lab.category = b.label_code
LEFT JOIN category_encodings fmt ON fmt.feature = 'store_format' AND fmt.category = b.store_format
LEFT JOIN category_encodings area ON area.feature = 'region_area' AND area.category = SUBSTR(b.store_region, 1, 1)
LEFT JOIN category_encodings btype ON btype.feature = 'basket_type' AND btype.category = b.basket_type
LEFT JOIN category_encodings mission ON mission.feature = 'basket_mission' AND mission.category = b.basket_mission
LEFT JOIN category_encodings size ON size.feature = 'basket_size' AND size.category = b.basket_size
LEFT JOIN customer_history h ON h.customer_id = b.customer_id AND h.shop_week = b.shop_week
