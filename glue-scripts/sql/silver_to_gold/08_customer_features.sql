-- Each loyalty customer's history as of the end of this file, for the feature store: the same
-- definitions as the prior_* features of 06, over all of the customer's weeks. event_time is
-- the end of the last trading day in the file (ISO-8601, UTC). last_shop_week is kept absolute
-- here: /predict turns it into weeks_since_last_shop against the week of the basket it scores.
-- Inputs: customer_weeks (04), basket_facts (03).
SELECT
  CAST(w.customer_id AS STRING) AS customer_id,
  CAST(e.event_time AS STRING) AS event_time,
  CAST(SUM(w.baskets) AS BIGINT) AS prior_baskets,
  CAST(SUM(w.spend) / SUM(w.baskets) AS DOUBLE) AS prior_spend_mean,
  CAST(CAST(SUM(w.items) AS DOUBLE) / SUM(w.baskets) AS DOUBLE) AS prior_items_mean,
  CAST(CASE WHEN SUM(w.baskets_la + w.baskets_mm + w.baskets_um) > 0
    THEN CAST(SUM(w.baskets_la) AS DOUBLE) / SUM(w.baskets_la + w.baskets_mm + w.baskets_um) ELSE 0 END AS DOUBLE) AS prior_share_la,
  CAST(CASE WHEN SUM(w.baskets_la + w.baskets_mm + w.baskets_um) > 0
    THEN CAST(SUM(w.baskets_mm) AS DOUBLE) / SUM(w.baskets_la + w.baskets_mm + w.baskets_um) ELSE 0 END AS DOUBLE) AS prior_share_mm,
  CAST(CASE WHEN SUM(w.baskets_la + w.baskets_mm + w.baskets_um) > 0
    THEN CAST(SUM(w.baskets_um) AS DOUBLE) / SUM(w.baskets_la + w.baskets_mm + w.baskets_um) ELSE 0 END AS DOUBLE) AS prior_share_um,
  CAST(MAX(w.shop_week) AS INT) AS last_shop_week,
  CAST(CASE WHEN SUM(w.priced_lines) > 0 THEN SUM(w.price_ratio_sum) / SUM(w.priced_lines) ELSE 0 END AS DOUBLE) AS prior_price_ratio_mean
FROM customer_weeks w
CROSS JOIN (SELECT CAST(MAX(shop_date) AS STRING) || 'T23:59:59Z' AS event_time FROM basket_facts) e
GROUP BY w.customer_id, e.event_time
