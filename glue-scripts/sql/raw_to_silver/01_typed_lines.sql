-- Types every raw line by the one definition of a valid row (tasks/core/validate-input/valid-row.ts; the
-- parity test runs a corpus of edge values through both). Input: raw_lines (the raw CSV, every
-- column a string). Values are trimmed of spaces; a value that breaks its column's rule becomes
-- NULL here and the line is rejected in 02, counted per reason in 04:
--   numbers are digits only (no sign, exponent, NaN or Infinity) of bounded length, so Spark and
--   DuckDB cast them alike; SHOP_DATE is a real YYYYMMDD date from 1900 to 2999; codes come from
--   the schema's lists; TEXT_OK is false when a text column holds a control character
--   (U+0000-U+001F, U+007F: one character class, built with chr() since a pattern holds no
--   backslash). Patterns use no backslashes: Spark and DuckDB read them differently in string
--   literals. regexp_extract(v, p, 0) = v is a whole-value match on both engines.
-- One row per distinct typed line, LINE_COUNT the number of raw lines it stands for: the one pass
-- over the raw file removes exact duplicates (02 keeps the valid rows) and keeps what 04 counts
-- per reason (sums of LINE_COUNT). GROUP BY puts NULLs in one group, as DISTINCT does.
WITH trimmed AS (
  SELECT
    TRIM(SHOP_WEEK) AS SHOP_WEEK,
    TRIM(SHOP_DATE) AS SHOP_DATE,
    TRIM(SHOP_WEEKDAY) AS SHOP_WEEKDAY,
    TRIM(SHOP_HOUR) AS SHOP_HOUR,
    TRIM(QUANTITY) AS QUANTITY,
    TRIM(SPEND) AS SPEND,
    TRIM(PROD_CODE) AS PROD_CODE,
    TRIM(PROD_CODE_10) AS PROD_CODE_10,
    TRIM(PROD_CODE_20) AS PROD_CODE_20,
    TRIM(PROD_CODE_30) AS PROD_CODE_30,
    TRIM(PROD_CODE_40) AS PROD_CODE_40,
    TRIM(CUST_CODE) AS CUST_CODE,
    TRIM(seg_1) AS seg_1,
    TRIM(seg_2) AS seg_2,
    TRIM(BASKET_ID) AS BASKET_ID,
    TRIM(BASKET_SIZE) AS BASKET_SIZE,
    TRIM(BASKET_PRICE_SENSITIVITY) AS BASKET_PRICE_SENSITIVITY,
    TRIM(BASKET_TYPE) AS BASKET_TYPE,
    TRIM(BASKET_DOMINANT_MISSION) AS BASKET_DOMINANT_MISSION,
    TRIM(STORE_CODE) AS STORE_CODE,
    TRIM(STORE_FORMAT) AS STORE_FORMAT,
    TRIM(STORE_REGION) AS STORE_REGION
  FROM raw_lines
),
typed AS (
SELECT
  CASE WHEN regexp_extract(SHOP_WEEK, '^[0-9]{6}$', 0) = SHOP_WEEK AND SUBSTR(SHOP_WEEK, 5, 2) BETWEEN '01' AND '53'
    THEN TRY_CAST(SHOP_WEEK AS INT) END AS SHOP_WEEK,
  CASE WHEN regexp_extract(SHOP_DATE, '^(19|2[0-9])[0-9]{6}$', 0) = SHOP_DATE
    THEN TRY_CAST(SUBSTR(SHOP_DATE, 1, 4) || '-' || SUBSTR(SHOP_DATE, 5, 2) || '-' || SUBSTR(SHOP_DATE, 7, 2) AS DATE) END AS SHOP_DATE,
  CASE WHEN regexp_extract(SHOP_WEEKDAY, '^[0-9]{1,9}$', 0) = SHOP_WEEKDAY AND TRY_CAST(SHOP_WEEKDAY AS INT) BETWEEN 1 AND 7 THEN TRY_CAST(SHOP_WEEKDAY AS INT) END AS SHOP_WEEKDAY,
  CASE WHEN regexp_extract(SHOP_HOUR, '^[0-9]{1,9}$', 0) = SHOP_HOUR AND TRY_CAST(SHOP_HOUR AS INT) BETWEEN 0 AND 23 THEN TRY_CAST(SHOP_HOUR AS INT) END AS SHOP_HOUR,
  CASE WHEN regexp_extract(QUANTITY, '^[0-9]{1,9}$', 0) = QUANTITY AND TRY_CAST(QUANTITY AS INT) BETWEEN 1 AND 999999999 THEN TRY_CAST(QUANTITY AS INT) END AS QUANTITY,
  CASE WHEN LENGTH(SPEND) <= 20 AND regexp_extract(SPEND, '^([0-9]+([.][0-9]*)?|[.][0-9]+)$', 0) = SPEND
    THEN TRY_CAST(SPEND AS DOUBLE) END AS SPEND,
  NULLIF(PROD_CODE, '') AS PROD_CODE,
  NULLIF(PROD_CODE_10, '') AS PROD_CODE_10,
  NULLIF(PROD_CODE_20, '') AS PROD_CODE_20,
  NULLIF(PROD_CODE_30, '') AS PROD_CODE_30,
  NULLIF(PROD_CODE_40, '') AS PROD_CODE_40,
  NULLIF(CUST_CODE, '') AS CUST_CODE,
  NULLIF(seg_1, '') AS seg_1,
  NULLIF(seg_2, '') AS seg_2,
  CASE WHEN regexp_extract(BASKET_ID, '^[0-9]{1,18}$', 0) = BASKET_ID THEN TRY_CAST(BASKET_ID AS BIGINT) END AS BASKET_ID,
  CASE WHEN BASKET_SIZE IN ('S', 'M', 'L', 'XX') THEN BASKET_SIZE END AS BASKET_SIZE,
  CASE WHEN BASKET_PRICE_SENSITIVITY IN ('LA', 'MM', 'UM', 'XX') THEN BASKET_PRICE_SENSITIVITY END AS BASKET_PRICE_SENSITIVITY,
  CASE WHEN BASKET_TYPE IN ('Small Shop', 'Top Up', 'Full Shop', 'XX') THEN BASKET_TYPE END AS BASKET_TYPE,
  CASE WHEN BASKET_DOMINANT_MISSION IN ('Fresh', 'Grocery', 'Mixed', 'Non Food', 'XX') THEN BASKET_DOMINANT_MISSION END AS BASKET_DOMINANT_MISSION,
  NULLIF(STORE_CODE, '') AS STORE_CODE,
  CASE WHEN STORE_FORMAT IN ('SS', 'MS', 'LS', 'XLS', 'XX') THEN STORE_FORMAT END AS STORE_FORMAT,
  CASE WHEN STORE_REGION = 'XX' OR (LENGTH(STORE_REGION) = 3 AND regexp_extract(STORE_REGION, '^[ENSW][0-9]{2}$', 0) = STORE_REGION) THEN STORE_REGION END AS STORE_REGION,
  regexp_extract(COALESCE(PROD_CODE, '') || COALESCE(PROD_CODE_10, '') || COALESCE(PROD_CODE_20, '') || COALESCE(PROD_CODE_30, '') || COALESCE(PROD_CODE_40, '') || COALESCE(CUST_CODE, '') || COALESCE(seg_1, '') || COALESCE(seg_2, '') || COALESCE(STORE_CODE, ''),
    '[' || chr(0) || '-' || chr(31) || chr(127) || ']', 0) = '' AS TEXT_OK
FROM trimmed
)
SELECT
  SHOP_WEEK, SHOP_DATE, SHOP_WEEKDAY, SHOP_HOUR, QUANTITY, SPEND,
  PROD_CODE, PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, CUST_CODE, seg_1, seg_2,
  BASKET_ID, BASKET_SIZE, BASKET_PRICE_SENSITIVITY, BASKET_TYPE, BASKET_DOMINANT_MISSION, STORE_CODE, STORE_FORMAT, STORE_REGION, TEXT_OK,
  COUNT(*) AS LINE_COUNT
FROM typed
GROUP BY
  SHOP_WEEK, SHOP_DATE, SHOP_WEEKDAY, SHOP_HOUR, QUANTITY, SPEND,
  PROD_CODE, PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, CUST_CODE, seg_1, seg_2,
  BASKET_ID, BASKET_SIZE, BASKET_PRICE_SENSITIVITY, BASKET_TYPE, BASKET_DOMINANT_MISSION, STORE_CODE, STORE_FORMAT, STORE_REGION, TEXT_OK
