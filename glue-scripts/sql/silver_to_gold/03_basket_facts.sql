-- One row per basket from its line items. Inputs: silver_lines, reference_prices (02).
-- Basket-level columns agree on every line of a basket (silver rejects a basket whose lines
-- disagree: raw_to_silver 03), so first() picks that value: at 2.67M rows it costs 0.8 s CPU
-- against MIN's 1.2 s (MIN compares every line's strings). Flags are counted with
-- COUNT(CASE ... THEN 1 END), a plain counter, not summed as 0/1 (DuckDB sums integers in 128 bits).
-- Department shares are shares of the basket's lines (PROD_CODE_40 = D00001..D00008).
-- distinct_departments counts those eight by their line counts and only the other codes with
-- COUNT(DISTINCT): a DISTINCT over every line cost 0.6 s of the step's 2.1 s CPU at 2.67M rows,
-- over the (rare) other codes 0.1 s.
-- Price position: each line's price_ratio = LN(unit price / reference), the reference being the
-- product's, else its group's (02); NULL without a reference or with SPEND 0 (an unpriced line).
-- A line is above (below) its reference when it costs more than 1.25 x (less than 1 / 1.25 x)
-- of it: a quarter, a plain retail margin, symmetric in log space and wide against ordinary
-- price noise; the mean and spread of the ratio carry the rest for the model to split on.
SELECT
  basket_id, shop_week, shop_date, shop_weekday, shop_hour, customer_id, label_code, basket_size,
  basket_type, basket_mission, store_code, store_format, store_region,
  items, total_quantity, total_spend, max_line_spend,
  other_departments
    + CASE WHEN lines_d00001 > 0 THEN 1 ELSE 0 END
    + CASE WHEN lines_d00002 > 0 THEN 1 ELSE 0 END
    + CASE WHEN lines_d00003 > 0 THEN 1 ELSE 0 END
    + CASE WHEN lines_d00004 > 0 THEN 1 ELSE 0 END
    + CASE WHEN lines_d00005 > 0 THEN 1 ELSE 0 END
    + CASE WHEN lines_d00006 > 0 THEN 1 ELSE 0 END
    + CASE WHEN lines_d00007 > 0 THEN 1 ELSE 0 END
    + CASE WHEN lines_d00008 > 0 THEN 1 ELSE 0 END
    AS distinct_departments,
  CAST(lines_d00001 AS DOUBLE) / items AS dept_share_d00001,
  CAST(lines_d00002 AS DOUBLE) / items AS dept_share_d00002,
  CAST(lines_d00003 AS DOUBLE) / items AS dept_share_d00003,
  CAST(lines_d00004 AS DOUBLE) / items AS dept_share_d00004,
  CAST(lines_d00005 AS DOUBLE) / items AS dept_share_d00005,
  CAST(lines_d00006 AS DOUBLE) / items AS dept_share_d00006,
  CAST(lines_d00007 AS DOUBLE) / items AS dept_share_d00007,
  CAST(lines_d00008 AS DOUBLE) / items AS dept_share_d00008,
  priced_lines, price_ratio_sum, price_ratio_spread, lines_above_reference, lines_below_reference
FROM (
  SELECT
    BASKET_ID AS basket_id,
    first(SHOP_WEEK) AS shop_week,
    first(SHOP_DATE) AS shop_date,
    first(SHOP_WEEKDAY) AS shop_weekday,
    first(SHOP_HOUR) AS shop_hour,
    first(CUST_CODE) AS customer_id,
    first(BASKET_PRICE_SENSITIVITY) AS label_code,
    first(BASKET_SIZE) AS basket_size,
    first(BASKET_TYPE) AS basket_type,
    first(BASKET_DOMINANT_MISSION) AS basket_mission,
    first(STORE_CODE) AS store_code,
    first(STORE_FORMAT) AS store_format,
    first(STORE_REGION) AS store_region,
    COUNT(*) AS items,
    SUM(QUANTITY) AS total_quantity,
    SUM(SPEND) AS total_spend,
    MAX(SPEND) AS max_line_spend,
    COUNT(CASE WHEN PROD_CODE_40 = 'D00001' THEN 1 END) AS lines_d00001,
    COUNT(CASE WHEN PROD_CODE_40 = 'D00002' THEN 1 END) AS lines_d00002,
    COUNT(CASE WHEN PROD_CODE_40 = 'D00003' THEN 1 END) AS lines_d00003,
    COUNT(CASE WHEN PROD_CODE_40 = 'D00004' THEN 1 END) AS lines_d00004,
    COUNT(CASE WHEN PROD_CODE_40 = 'D00005' THEN 1 END) AS lines_d00005,
    COUNT(CASE WHEN PROD_CODE_40 = 'D00006' THEN 1 END) AS lines_d00006,
    COUNT(CASE WHEN PROD_CODE_40 = 'D00007' THEN 1 END) AS lines_d00007,
    COUNT(CASE WHEN PROD_CODE_40 = 'D00008' THEN 1 END) AS lines_d00008,
    COUNT(DISTINCT PROD_CODE_40) FILTER (WHERE PROD_CODE_40 NOT IN ('D00001', 'D00002', 'D00003', 'D00004', 'D00005', 'D00006', 'D00007', 'D00008')) AS other_departments,
    COUNT(price_ratio) AS priced_lines,
    SUM(price_ratio) AS price_ratio_sum,
    STDDEV_POP(price_ratio) AS price_ratio_spread,
    COUNT(CASE WHEN price_ratio > LN(1.25) THEN 1 END) AS lines_above_reference,
    COUNT(CASE WHEN price_ratio < -LN(1.25) THEN 1 END) AS lines_below_reference
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
) basket_lines
