-- Counts for the job's _stats.json. Input: gold_baskets (06).
SELECT
  COUNT(*) AS baskets,
  SUM(CASE WHEN split = 'unclassified' THEN 1 ELSE 0 END) AS unclassified_baskets_dropped,
  SUM(CASE WHEN split = 'train' THEN 1 ELSE 0 END) AS train_rows,
  SUM(CASE WHEN split = 'validation' THEN 1 ELSE 0 END) AS validation_rows,
  SUM(CASE WHEN split = 'test' THEN 1 ELSE 0 END) AS test_rows,
  SUM(CASE WHEN label = 0 THEN 1 ELSE 0 END) AS label_la,
  SUM(CASE WHEN label = 1 THEN 1 ELSE 0 END) AS label_mm,
  SUM(CASE WHEN label = 2 THEN 1 ELSE 0 END) AS label_um,
  COUNT(DISTINCT customer_id) AS customers
FROM gold_baskets
