-- Each loyalty customer's activity per week. Input: basket_facts (03).
SELECT
  customer_id,
  shop_week,
  MAX(shop_date) AS last_shop_date,
  COUNT(*) AS baskets,
  SUM(total_spend) AS spend,
  SUM(items) AS items,
  SUM(CASE WHEN label_code = 'LA' THEN 1 ELSE 0 END) AS baskets_la,
  SUM(CASE WHEN label_code = 'MM' THEN 1 ELSE 0 END) AS baskets_mm,
  SUM(CASE WHEN label_code = 'UM' THEN 1 ELSE 0 END) AS baskets_um,
  SUM(priced_lines) AS priced_lines,
  SUM(COALESCE(price_ratio_sum, 0)) AS price_ratio_sum
FROM basket_facts
WHERE customer_id IS NOT NULL
GROUP BY customer_id, shop_week
