-- Data-quality rules over the gold baskets of one run, run by CheckDataQuality through Athena
-- (Presto/Trino SQL; the local Athena emulator runs it on DuckDB). One row per rule:
--   rule       the rule's name
--   measured   the value measured on this run's gold baskets (NULL when not measurable)
--   threshold  the limit it is compared with
--   passed     'true' or 'false' (a NULL measurement fails)
--
-- Positional parameters, bound through Athena ExecutionParameters in this order
-- (local/etl/data-quality.ts DATA_QUALITY_PARAMETERS builds them from DataQualityConfig):
--   1. run id, as a quoted string literal, e.g. 'run-1'
--   2. minBaskets            fewest labelled baskets accepted
--   3. minClassShare         smallest share of labelled baskets each class must hold
--   4. maxUnclassifiedShare  largest share of XX-labelled baskets accepted
--   5. maxNullRate           largest null rate of any checked feature column
-- The run id is compared with the partition column directly, so Athena prunes (and partition
-- projection of type `injected` gets the literal it needs).
WITH gold_run AS (
  SELECT *
  FROM pricesense.gold_baskets
  WHERE run_id = ?
),
params AS (
  SELECT
    CAST(? AS DOUBLE) AS min_baskets,
    CAST(? AS DOUBLE) AS min_class_share,
    CAST(? AS DOUBLE) AS max_unclassified_share,
    CAST(? AS DOUBLE) AS max_null_rate
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
    CAST(COALESCE(SUM(CASE WHEN total_spend IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_total_spend,
    CAST(COALESCE(SUM(CASE WHEN spend_per_item IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_spend_per_item,
    CAST(COALESCE(SUM(CASE WHEN items IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_items,
    CAST(COALESCE(SUM(CASE WHEN shop_hour IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_shop_hour,
    CAST(COALESCE(SUM(CASE WHEN shop_weekday IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_shop_weekday,
    CAST(COALESCE(SUM(CASE WHEN prior_baskets IS NULL THEN 1 ELSE 0 END), 0) AS DOUBLE) AS null_prior_baskets,
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
rules AS (
  SELECT 'min_labelled_baskets' AS rule, c.labelled AS measured, p.min_baskets AS threshold, c.labelled >= p.min_baskets AS ok
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'all_classes_present', c.classes, 3.0, c.classes >= 3.0 FROM counts c
  UNION ALL
  SELECT 'min_class_share_la', c.la / NULLIF(c.labelled, 0), p.min_class_share, c.la / NULLIF(c.labelled, 0) >= p.min_class_share
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'min_class_share_mm', c.mm / NULLIF(c.labelled, 0), p.min_class_share, c.mm / NULLIF(c.labelled, 0) >= p.min_class_share
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'min_class_share_um', c.um / NULLIF(c.labelled, 0), p.min_class_share, c.um / NULLIF(c.labelled, 0) >= p.min_class_share
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'max_unclassified_share', c.unclassified / NULLIF(c.all_baskets, 0), p.max_unclassified_share,
    c.unclassified / NULLIF(c.all_baskets, 0) <= p.max_unclassified_share
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'max_null_rate_total_spend', c.null_total_spend / NULLIF(c.all_baskets, 0), p.max_null_rate,
    c.null_total_spend / NULLIF(c.all_baskets, 0) <= p.max_null_rate
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'max_null_rate_spend_per_item', c.null_spend_per_item / NULLIF(c.all_baskets, 0), p.max_null_rate,
    c.null_spend_per_item / NULLIF(c.all_baskets, 0) <= p.max_null_rate
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'max_null_rate_items', c.null_items / NULLIF(c.all_baskets, 0), p.max_null_rate,
    c.null_items / NULLIF(c.all_baskets, 0) <= p.max_null_rate
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'max_null_rate_shop_hour', c.null_shop_hour / NULLIF(c.all_baskets, 0), p.max_null_rate,
    c.null_shop_hour / NULLIF(c.all_baskets, 0) <= p.max_null_rate
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'max_null_rate_shop_weekday', c.null_shop_weekday / NULLIF(c.all_baskets, 0), p.max_null_rate,
    c.null_shop_weekday / NULLIF(c.all_baskets, 0) <= p.max_null_rate
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'max_null_rate_prior_baskets', c.null_prior_baskets / NULLIF(c.all_baskets, 0), p.max_null_rate,
    c.null_prior_baskets / NULLIF(c.all_baskets, 0) <= p.max_null_rate
  FROM counts c CROSS JOIN params p
  UNION ALL
  SELECT 'range_total_spend_not_negative', c.bad_total_spend, 0.0, c.bad_total_spend <= 0.0 FROM counts c
  UNION ALL
  SELECT 'range_items_at_least_one', c.bad_items, 0.0, c.bad_items <= 0.0 FROM counts c
  UNION ALL
  SELECT 'range_shop_hour_0_23', c.bad_shop_hour, 0.0, c.bad_shop_hour <= 0.0 FROM counts c
  UNION ALL
  SELECT 'range_shop_weekday_1_7', c.bad_shop_weekday, 0.0, c.bad_shop_weekday <= 0.0 FROM counts c
  UNION ALL
  SELECT 'range_department_share_0_1', c.bad_department_share, 0.0, c.bad_department_share <= 0.0 FROM counts c
)
SELECT
  rule,
  measured,
  threshold,
  CASE WHEN ok THEN 'true' ELSE 'false' END AS passed
FROM rules
