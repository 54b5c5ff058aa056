-- Data-quality rules over the gold baskets of one run and its raw -> silver counts, run by CheckDataQuality through Athena
-- (Presto/Trino SQL; the local Athena emulator runs it on DuckDB). One row per rule, in the
-- order of DATA_QUALITY_RULES (workflow/data-quality-parameters.ts):
--   rule       the rule's name
--   measured   the value measured on this run's gold baskets (NULL when not measurable)
--   passed     'true' or 'false' (a NULL measurement fails)
-- The thresholds are not echoed: Athena accepts execution parameters only in a WHERE clause
-- ("Syntax like SELECT ? FROM table is not supported", Athena User Guide, parameterized
-- queries), so each threshold decides which rules pass in the WHERE of `passing`, and the state
-- machine adds the threshold of every rule from the same configuration.
--
-- Positional parameters, bound through Athena ExecutionParameters in this order
-- (workflow/data-quality-parameters.ts dataQualityExecutionParameters builds them):
--   1. run id, as a quoted string literal, e.g. 'run-1' (gold baskets)
--   2. run id again (silver stats)
--   3. minBaskets            fewest labelled baskets accepted
--   4. minClassShare         smallest share of labelled baskets each class must hold
--   5. maxUnclassifiedShare  largest share of XX-labelled baskets accepted
--   6. maxNullRate           largest null rate of any checked feature column
--   7. maxRejectedShare      largest share of raw rows rejected in silver (invalid values and
--                            lines of inconsistent baskets; exact duplicates are not rejections)
-- The run id is compared with the partition column directly, so Athena prunes (and partition
-- projection of type `injected` gets the literal it needs). A run without silver counts
-- measures NULL for max_rejected_share, which fails.
WITH gold_run AS (
  SELECT *
  FROM pricesense.gold_baskets
  WHERE run_id = ?
),
silver_run AS (
  SELECT rows_in, rows_valid, inconsistent_basket
  FROM pricesense.silver_stats
  WHERE run_id = ?
),
silver_counts AS (
  SELECT
    CAST(SUM(rows_in) AS DOUBLE) AS rows_in,
    CAST(SUM(rows_in - rows_valid + inconsistent_basket) AS DOUBLE) AS rows_rejected
  FROM silver_run
),
counts AS (
  SELECT
    CAST(COUNT(*) AS DOUBLE) AS all_baskets,
    CAST(COALESCE(SUM(CASE WHEN label IS NOT NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS labelled,
    CAST(COALESCE(SUM(CASE WHEN label IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS unclassified,
    CAST(COALESCE(SUM(CASE WHEN label = 0 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS la,
    CAST(COALESCE(SUM(CASE WHEN label = 1 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS mm,
    CAST(COALESCE(SUM(CASE WHEN label = 2 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS um,
    CAST(COUNT(DISTINCT label) AS DOUBLE) AS classes,
    CAST(COUNT(DISTINCT CASE WHEN split = 'train' THEN label END) AS DOUBLE) AS train_classes,
    CAST(COUNT(DISTINCT CASE WHEN split = 'validation' THEN label END) AS DOUBLE) AS validation_classes,
    CAST(COUNT(DISTINCT CASE WHEN split = 'test' THEN label END) AS DOUBLE) AS test_classes,
    CAST(COALESCE(SUM(CASE WHEN total_spend IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_total_spend,
    CAST(COALESCE(SUM(CASE WHEN spend_per_item IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_spend_per_item,
    CAST(COALESCE(SUM(CASE WHEN items IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_items,
    CAST(COALESCE(SUM(CASE WHEN shop_hour IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_shop_hour,
    CAST(COALESCE(SUM(CASE WHEN shop_weekday IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_shop_weekday,
    CAST(COALESCE(SUM(CASE WHEN prior_baskets IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_prior_baskets,
    -- NaN and infinities pass `>= 0` checks. `x <> x` is NaN on Trino (DuckDB orders NaN above
    -- every number, so there the bounds catch it); the bounds catch the infinities on both.
    CAST(COALESCE(SUM(CASE WHEN total_spend <> total_spend OR total_spend > 1.7976931348623157E308 OR total_spend < -1.7976931348623157E308
                   OR spend_per_item <> spend_per_item OR spend_per_item > 1.7976931348623157E308 OR spend_per_item < -1.7976931348623157E308
                   OR total_quantity <> total_quantity OR total_quantity > 1.7976931348623157E308 OR total_quantity < -1.7976931348623157E308
              THEN 1 ELSE 0 END), 0) AS DOUBLE) AS not_finite,
    CAST(COALESCE(SUM(CASE WHEN total_spend < 0 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS bad_total_spend,
    CAST(COALESCE(SUM(CASE WHEN items < 1 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS bad_items,
    CAST(COALESCE(SUM(CASE WHEN shop_hour < 0 OR shop_hour > 23 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS bad_shop_hour,
    CAST(COALESCE(SUM(CASE WHEN shop_weekday < 1 OR shop_weekday > 7 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS bad_shop_weekday,
    CAST(COALESCE(SUM(CASE WHEN dept_share_d00001 < 0 OR dept_share_d00001 > 1 OR dept_share_d00002 < 0 OR dept_share_d00002 > 1
                   OR dept_share_d00003 < 0 OR dept_share_d00003 > 1 OR dept_share_d00004 < 0 OR dept_share_d00004 > 1
                   OR dept_share_d00005 < 0 OR dept_share_d00005 > 1 OR dept_share_d00006 < 0 OR dept_share_d00006 > 1
                   OR dept_share_d00007 < 0 OR dept_share_d00007 > 1 OR dept_share_d00008 < 0 OR dept_share_d00008 > 1
              THEN 1 ELSE 0 END), 0) AS DOUBLE) AS bad_department_share
  FROM gold_run
),
measures AS (
  SELECT 1 AS position, 'min_labelled_baskets' AS rule, c.labelled AS measured FROM counts c
  UNION ALL SELECT 2, 'all_classes_present', c.classes FROM counts c
  UNION ALL SELECT 3, 'min_class_share_la', c.la / NULLIF(c.labelled, 0) FROM counts c
  UNION ALL SELECT 4, 'min_class_share_mm', c.mm / NULLIF(c.labelled, 0) FROM counts c
  UNION ALL SELECT 5, 'min_class_share_um', c.um / NULLIF(c.labelled, 0) FROM counts c
  UNION ALL SELECT 6, 'max_unclassified_share', c.unclassified / NULLIF(c.all_baskets, 0) FROM counts c
  UNION ALL SELECT 7, 'max_null_rate_total_spend', c.null_total_spend / NULLIF(c.all_baskets, 0) FROM counts c
  UNION ALL SELECT 8, 'max_null_rate_spend_per_item', c.null_spend_per_item / NULLIF(c.all_baskets, 0) FROM counts c
  UNION ALL SELECT 9, 'max_null_rate_items', c.null_items / NULLIF(c.all_baskets, 0) FROM counts c
  UNION ALL SELECT 10, 'max_null_rate_shop_hour', c.null_shop_hour / NULLIF(c.all_baskets, 0) FROM counts c
  UNION ALL SELECT 11, 'max_null_rate_shop_weekday', c.null_shop_weekday / NULLIF(c.all_baskets, 0) FROM counts c
  UNION ALL SELECT 12, 'max_null_rate_prior_baskets', c.null_prior_baskets / NULLIF(c.all_baskets, 0) FROM counts c
  UNION ALL SELECT 13, 'range_total_spend_not_negative', c.bad_total_spend FROM counts c
  UNION ALL SELECT 14, 'range_items_at_least_one', c.bad_items FROM counts c
  UNION ALL SELECT 15, 'range_shop_hour_0_23', c.bad_shop_hour FROM counts c
  UNION ALL SELECT 16, 'range_shop_weekday_1_7', c.bad_shop_weekday FROM counts c
  UNION ALL SELECT 17, 'range_department_share_0_1', c.bad_department_share FROM counts c
  UNION ALL SELECT 18, 'finite_numbers', c.not_finite FROM counts c
  UNION ALL SELECT 19, 'split_train_all_classes', c.train_classes FROM counts c
  UNION ALL SELECT 20, 'split_validation_all_classes', c.validation_classes FROM counts c
  UNION ALL SELECT 21, 'split_test_all_classes', c.test_classes FROM counts c
  UNION ALL SELECT 22, 'max_rejected_share', s.rows_rejected / NULLIF(s.rows_in, 0) FROM silver_counts s
),
passing AS (
  SELECT rule
  FROM measures
  WHERE (rule = 'min_labelled_baskets' AND measured >= ?)
     OR (rule IN ('min_class_share_la', 'min_class_share_mm', 'min_class_share_um') AND measured >= ?)
     OR (rule = 'max_unclassified_share' AND measured <= ?)
     OR (rule IN ('max_null_rate_total_spend', 'max_null_rate_spend_per_item', 'max_null_rate_items', 'max_null_rate_shop_hour',
                  'max_null_rate_shop_weekday', 'max_null_rate_prior_baskets') AND measured <= ?)
     OR (rule IN ('all_classes_present', 'split_train_all_classes', 'split_validation_all_classes', 'split_test_all_classes') AND measured >= 3)
     OR (rule IN ('range_total_spend_not_negative', 'range_items_at_least_one', 'range_shop_hour_0_23', 'range_shop_weekday_1_7',
                  'range_department_share_0_1', 'finite_numbers') AND measured <= 0)
     OR (rule = 'max_rejected_share' AND measured <= ?)
)
SELECT
  m.rule,
  m.measured,
  CASE WHEN p.rule IS NULL THEN 'false' ELSE 'true' END AS passed
FROM measures m
LEFT JOIN passing p ON p.rule = m.rule
ORDER BY m.position
