-- Each loyalty customer's history as of the end of this file, for the feature store: the same
-- definitions as the prior_* features of 05, over all of the customer's weeks. event_time is
-- the end of the last trading day in the file (ISO-8601, UTC). Inputs: customer_weeks (03),
-- basket_facts (02).
SELECT
  w.customer_id,
  e.event_time,
  SUM(w.baskets) AS prior_baskets,
  SUM(w.spend) / SUM(w.baskets) AS prior_spend_mean,
  CAST(SUM(w.items) AS DOUBLE) / SUM(w.baskets) AS prior_items_mean,
  CASE WHEN SUM(w.baskets_la + w.baskets_mm + w.baskets_um) > 0
    THEN CAST(SUM(w.baskets_la) AS DOUBLE) / SUM(w.baskets_la + w.baskets_mm + w.baskets_um) ELSE 0 END AS prior_share_la,
  CASE WHEN SUM(w.baskets_la + w.baskets_mm + w.baskets_um) > 0
    THEN CAST(SUM(w.baskets_mm) AS DOUBLE) / SUM(w.baskets_la + w.baskets_mm + w.baskets_um) ELSE 0 END AS prior_share_mm,
  CASE WHEN SUM(w.baskets_la + w.baskets_mm + w.baskets_um) > 0
    THEN CAST(SUM(w.baskets_um) AS DOUBLE) / SUM(w.baskets_la + w.baskets_mm + w.baskets_um) ELSE 0 END AS prior_share_um,
  MAX(w.shop_week) AS last_shop_week
FROM customer_weeks w
CROSS JOIN (SELECT CAST(MAX(shop_date) AS STRING) || 'T23:59:59Z' AS event_time FROM basket_facts) e
GROUP BY w.customer_id, e.event_time
