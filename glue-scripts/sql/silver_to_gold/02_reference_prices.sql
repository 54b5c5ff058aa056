-- The reference unit price (SPEND / QUANTITY) of each product and, as the fallback for a product
-- the training window did not see, of each product group (PROD_CODE_30). Input: silver_lines.
-- Training window = the lines of train-split baskets (BASKET_ID % 10 < 8, the split of 06), so no
-- validation or test basket defines the price it is compared with. The median, so a product's
-- cheap and dear lines do not move the reference as a mean would. Written whole to
-- serving/reference_prices.json: /predict scores with the references its model was trained with.
-- Lines with SPEND 0 have no price and are left out.
-- The median is percentile_cont(0.5)'s, computed exactly without it: lines are counted per
-- (product, group, unit price) (GROUP BY), a running count per code in price order (window) finds
-- the row(s) holding the middle position(s) (floor((n+1)/2) and floor(n/2)+1, one row when n is
-- odd), and lower + (upper - lower) / 2 is DuckDB's interpolation to the bit. Why: a holistic
-- aggregate keeps every line's price in process memory, outside DuckDB's memory_limit and never
-- spilled: 0.6 GiB at 26.7M rows, which the allocator then kept for the rest of the job (peak
-- 1.69 GiB). GROUP BY and windows are buffer-managed and spill. Cost: ~0.7 s CPU more at 2.67M rows
-- for this step (1.1 s against 0.4 s), +1 s at 26.7M. A product seen with two groups is counted in
-- each (product, group) row and summed by its running count, as percentile_cont would count it.
WITH price_lines AS (
  SELECT PROD_CODE, PROD_CODE_30, SPEND / QUANTITY AS unit_price, COUNT(*) AS lines
  FROM silver_lines
  WHERE BASKET_ID % 10 < 8 AND SPEND > 0
  GROUP BY PROD_CODE, PROD_CODE_30, SPEND / QUANTITY
),
group_price_lines AS (
  SELECT PROD_CODE_30, unit_price, CAST(SUM(lines) AS BIGINT) AS lines
  FROM price_lines
  WHERE PROD_CODE_30 IS NOT NULL
  GROUP BY PROD_CODE_30, unit_price
),
positioned AS (
  SELECT
    'product' AS level, PROD_CODE AS code, unit_price, lines,
    SUM(lines) OVER (PARTITION BY PROD_CODE ORDER BY unit_price ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS lines_through,
    SUM(lines) OVER (PARTITION BY PROD_CODE) AS code_lines
  FROM price_lines
  UNION ALL
  SELECT
    'group' AS level, PROD_CODE_30 AS code, unit_price, lines,
    SUM(lines) OVER (PARTITION BY PROD_CODE_30 ORDER BY unit_price ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS lines_through,
    SUM(lines) OVER (PARTITION BY PROD_CODE_30) AS code_lines
  FROM group_price_lines
),
middle AS (
  SELECT
    level, code, code_lines,
    MAX(CASE WHEN lines_through - lines < FLOOR((code_lines + 1) / 2) AND lines_through >= FLOOR((code_lines + 1) / 2) THEN unit_price END) AS lower_price,
    MAX(CASE WHEN lines_through - lines < FLOOR(code_lines / 2) + 1 AND lines_through >= FLOOR(code_lines / 2) + 1 THEN unit_price END) AS upper_price
  FROM positioned
  WHERE lines_through - lines < FLOOR(code_lines / 2) + 1 AND lines_through >= FLOOR((code_lines + 1) / 2)
  GROUP BY level, code, code_lines
)
SELECT level, code, CAST(lower_price + (upper_price - lower_price) / 2 AS DOUBLE) AS reference_price, CAST(code_lines AS BIGINT) AS lines
FROM middle
