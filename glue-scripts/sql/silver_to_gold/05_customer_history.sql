-- A customer's history as it stood at the start of each week they shopped: sums over their
-- EARLIER weeks only (the window ends one row, i.e. one week, before the current one), so no
-- basket sees its own week. Input: customer_weeks (04).
SELECT
  customer_id,
  shop_week,
  SUM(baskets) OVER earlier AS prior_baskets,
  SUM(spend) OVER earlier AS prior_spend,
  SUM(items) OVER earlier AS prior_items,
  SUM(baskets_la) OVER earlier AS prior_la,
  SUM(baskets_mm) OVER earlier AS prior_mm,
  SUM(baskets_um) OVER earlier AS prior_um,
  SUM(priced_lines) OVER earlier AS prior_priced_lines,
  SUM(price_ratio_sum) OVER earlier AS prior_price_ratio_sum,
  LAG(shop_week) OVER (PARTITION BY customer_id ORDER BY shop_week) AS last_shop_week
FROM customer_weeks
WINDOW earlier AS (PARTITION BY customer_id ORDER BY shop_week ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
