-- Types every raw line by the one definition of a valid row (tasks/core/validate-input/valid-row.ts; the
-- parity test runs a corpus of edge values through both). Input: raw_lines (the raw CSV, every
-- column a string). Values are trimmed of spaces; a value that breaks its column's rule becomes
-- NULL here and the line is rejected in 02, counted per reason in 06:
--   numbers are digits only (no sign, exponent, NaN or Infinity) of bounded length, so Spark and
--   DuckDB cast them alike; SHOP_DATE is a real YYYYMMDD date from 1900 to 2999; codes come from
--   the schema's lists; TEXT_OK is false when a text column holds a control character
--   (U+0000-U+001F, U+007F: one character class, built with chr() since a pattern holds no
--   backslash). Patterns use no backslashes: Spark and DuckDB read them differently in string
--   literals. regexp_extract(v, p, 0) = v is a whole-value match on both engines.
-- Speed (issue 15; CPU seconds measured on DuckDB at 2.67M rows, test/bench/raw-to-silver-steps.ts):
-- read + typing took 12.1 s CPU with one regexp per number and a TRIM and a COALESCE-concat per
-- line, 8.1 s in this form. Each shortcut only ever accepts a value the rule accepts, and every
-- other value still goes through the rule itself, so no verdict changes:
--   * TRIM only when the value starts or ends with a space (a TRIM copies every string), and
--     only of U+0020: DuckDB's plain TRIM also strips no-break and ideographic spaces, Spark's
--     trim and valid-row.ts do not;
--   * a number first passes when it is canonical: CAST(TRY_CAST(v AS INT) AS STRING) = v and the
--     value is in range, i.e. plain digits without sign or leading zero (a cheap cast instead of a
--     regexp); anything else (leading zeros, signs, junk) is judged by the regexp as before;
--   * the control-character check runs once on concat_ws('', ...) (NULLs skipped on both engines,
--     like the COALESCE chain it replaces, in one copy instead of eight).
-- Measured and kept out (issue 15, 2.67M rows, DuckDB 1.5.5, CPU medians of 3-6 interleaved runs,
-- load 6-13): nine per-column checks COALESCE(regexp_extract(c, class, 0), '') = '' instead of the
-- concat_ws cost 1.0 s CPU MORE here (this step's typing, every column counted: 7.6 -> 8.6 s).
-- They look 1.7 s cheaper over a DuckDB table or Parquet of the raw file, but only because those
-- hand the functions dictionary vectors (one call per distinct value); the CSV reader's vectors
-- are flat, one call per line. Splitting the five-value IN lists (DuckDB plans them as MARK
-- joins) into two INs changed nothing measurable (this step's COPY 9.8 vs 9.5 s, in the noise).
-- One row per raw line (06 counts rejections per reason from it). Exact duplicates are removed
-- later, among the valid lines only (03, 05): a GROUP BY of every line on all 23 columns here cost
-- 5.8 s of the 11.5 s of this pass at 2.67M rows (DuckDB EXPLAIN ANALYZE, operator CPU).
WITH trimmed AS (
  SELECT
    CASE WHEN SHOP_WEEK LIKE ' %' OR SHOP_WEEK LIKE '% ' THEN TRIM(BOTH ' ' FROM SHOP_WEEK) ELSE SHOP_WEEK END AS SHOP_WEEK,
    CASE WHEN SHOP_DATE LIKE ' %' OR SHOP_DATE LIKE '% ' THEN TRIM(BOTH ' ' FROM SHOP_DATE) ELSE SHOP_DATE END AS SHOP_DATE,
    CASE WHEN SHOP_WEEKDAY LIKE ' %' OR SHOP_WEEKDAY LIKE '% ' THEN TRIM(BOTH ' ' FROM SHOP_WEEKDAY) ELSE SHOP_WEEKDAY END AS SHOP_WEEKDAY,
    CASE WHEN SHOP_HOUR LIKE ' %' OR SHOP_HOUR LIKE '% ' THEN TRIM(BOTH ' ' FROM SHOP_HOUR) ELSE SHOP_HOUR END AS SHOP_HOUR,
    CASE WHEN QUANTITY LIKE ' %' OR QUANTITY LIKE '% ' THEN TRIM(BOTH ' ' FROM QUANTITY) ELSE QUANTITY END AS QUANTITY,
    CASE WHEN SPEND LIKE ' %' OR SPEND LIKE '% ' THEN TRIM(BOTH ' ' FROM SPEND) ELSE SPEND END AS SPEND,
    CASE WHEN PROD_CODE LIKE ' %' OR PROD_CODE LIKE '% ' THEN TRIM(BOTH ' ' FROM PROD_CODE) ELSE PROD_CODE END AS PROD_CODE,
    CASE WHEN PROD_CODE_10 LIKE ' %' OR PROD_CODE_10 LIKE '% ' THEN TRIM(BOTH ' ' FROM PROD_CODE_10) ELSE PROD_CODE_10 END AS PROD_CODE_10,
    CASE WHEN PROD_CODE_20 LIKE ' %' OR PROD_CODE_20 LIKE '% ' THEN TRIM(BOTH ' ' FROM PROD_CODE_20) ELSE PROD_CODE_20 END AS PROD_CODE_20,
    CASE WHEN PROD_CODE_30 LIKE ' %' OR PROD_CODE_30 LIKE '% ' THEN TRIM(BOTH ' ' FROM PROD_CODE_30) ELSE PROD_CODE_30 END AS PROD_CODE_30,
    CASE WHEN PROD_CODE_40 LIKE ' %' OR PROD_CODE_40 LIKE '% ' THEN TRIM(BOTH ' ' FROM PROD_CODE_40) ELSE PROD_CODE_40 END AS PROD_CODE_40,
    CASE WHEN CUST_CODE LIKE ' %' OR CUST_CODE LIKE '% ' THEN TRIM(BOTH ' ' FROM CUST_CODE) ELSE CUST_CODE END AS CUST_CODE,
    CASE WHEN seg_1 LIKE ' %' OR seg_1 LIKE '% ' THEN TRIM(BOTH ' ' FROM seg_1) ELSE seg_1 END AS seg_1,
    CASE WHEN seg_2 LIKE ' %' OR seg_2 LIKE '% ' THEN TRIM(BOTH ' ' FROM seg_2) ELSE seg_2 END AS seg_2,
    CASE WHEN BASKET_ID LIKE ' %' OR BASKET_ID LIKE '% ' THEN TRIM(BOTH ' ' FROM BASKET_ID) ELSE BASKET_ID END AS BASKET_ID,
    CASE WHEN BASKET_SIZE LIKE ' %' OR BASKET_SIZE LIKE '% ' THEN TRIM(BOTH ' ' FROM BASKET_SIZE) ELSE BASKET_SIZE END AS BASKET_SIZE,
    CASE WHEN BASKET_PRICE_SENSITIVITY LIKE ' %' OR BASKET_PRICE_SENSITIVITY LIKE '% ' THEN TRIM(BOTH ' ' FROM BASKET_PRICE_SENSITIVITY) ELSE BASKET_PRICE_SENSITIVITY END AS BASKET_PRICE_SENSITIVITY,
    CASE WHEN BASKET_TYPE LIKE ' %' OR BASKET_TYPE LIKE '% ' THEN TRIM(BOTH ' ' FROM BASKET_TYPE) ELSE BASKET_TYPE END AS BASKET_TYPE,
    CASE WHEN BASKET_DOMINANT_MISSION LIKE ' %' OR BASKET_DOMINANT_MISSION LIKE '% ' THEN TRIM(BOTH ' ' FROM BASKET_DOMINANT_MISSION) ELSE BASKET_DOMINANT_MISSION END AS BASKET_DOMINANT_MISSION,
    CASE WHEN STORE_CODE LIKE ' %' OR STORE_CODE LIKE '% ' THEN TRIM(BOTH ' ' FROM STORE_CODE) ELSE STORE_CODE END AS STORE_CODE,
    CASE WHEN STORE_FORMAT LIKE ' %' OR STORE_FORMAT LIKE '% ' THEN TRIM(BOTH ' ' FROM STORE_FORMAT) ELSE STORE_FORMAT END AS STORE_FORMAT,
    CASE WHEN STORE_REGION LIKE ' %' OR STORE_REGION LIKE '% ' THEN TRIM(BOTH ' ' FROM STORE_REGION) ELSE STORE_REGION END AS STORE_REGION
  FROM raw_lines
)
SELECT
  CASE WHEN CAST(TRY_CAST(SHOP_WEEK AS INT) AS STRING) = SHOP_WEEK AND TRY_CAST(SHOP_WEEK AS INT) BETWEEN 100000 AND 999999
         AND SUBSTR(SHOP_WEEK, 5, 2) BETWEEN '01' AND '53' THEN TRY_CAST(SHOP_WEEK AS INT)
       WHEN regexp_extract(SHOP_WEEK, '^[0-9]{6}$', 0) = SHOP_WEEK AND SUBSTR(SHOP_WEEK, 5, 2) BETWEEN '01' AND '53'
    THEN TRY_CAST(SHOP_WEEK AS INT) END AS SHOP_WEEK,
  CASE WHEN CAST(TRY_CAST(SHOP_DATE AS INT) AS STRING) = SHOP_DATE AND TRY_CAST(SHOP_DATE AS INT) BETWEEN 19000000 AND 29999999
    THEN TRY_CAST(concat_ws('-', SUBSTR(SHOP_DATE, 1, 4), SUBSTR(SHOP_DATE, 5, 2), SUBSTR(SHOP_DATE, 7, 2)) AS DATE)
       WHEN regexp_extract(SHOP_DATE, '^(19|2[0-9])[0-9]{6}$', 0) = SHOP_DATE
    THEN TRY_CAST(concat_ws('-', SUBSTR(SHOP_DATE, 1, 4), SUBSTR(SHOP_DATE, 5, 2), SUBSTR(SHOP_DATE, 7, 2)) AS DATE) END AS SHOP_DATE,
  CASE WHEN CAST(TRY_CAST(SHOP_WEEKDAY AS INT) AS STRING) = SHOP_WEEKDAY AND TRY_CAST(SHOP_WEEKDAY AS INT) BETWEEN 1 AND 7 THEN TRY_CAST(SHOP_WEEKDAY AS INT)
       WHEN regexp_extract(SHOP_WEEKDAY, '^[0-9]{1,9}$', 0) = SHOP_WEEKDAY AND TRY_CAST(SHOP_WEEKDAY AS INT) BETWEEN 1 AND 7 THEN TRY_CAST(SHOP_WEEKDAY AS INT) END AS SHOP_WEEKDAY,
  CASE WHEN CAST(TRY_CAST(SHOP_HOUR AS INT) AS STRING) = SHOP_HOUR AND TRY_CAST(SHOP_HOUR AS INT) BETWEEN 0 AND 23 THEN TRY_CAST(SHOP_HOUR AS INT)
       WHEN regexp_extract(SHOP_HOUR, '^[0-9]{1,9}$', 0) = SHOP_HOUR AND TRY_CAST(SHOP_HOUR AS INT) BETWEEN 0 AND 23 THEN TRY_CAST(SHOP_HOUR AS INT) END AS SHOP_HOUR,
  CASE WHEN CAST(TRY_CAST(QUANTITY AS INT) AS STRING) = QUANTITY AND TRY_CAST(QUANTITY AS INT) BETWEEN 1 AND 999999999 THEN TRY_CAST(QUANTITY AS INT)
       WHEN regexp_extract(QUANTITY, '^[0-9]{1,9}$', 0) = QUANTITY AND TRY_CAST(QUANTITY AS INT) BETWEEN 1 AND 999999999 THEN TRY_CAST(QUANTITY AS INT) END AS QUANTITY,
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
  CASE WHEN CAST(TRY_CAST(BASKET_ID AS BIGINT) AS STRING) = BASKET_ID AND TRY_CAST(BASKET_ID AS BIGINT) BETWEEN 0 AND 999999999999999999 THEN TRY_CAST(BASKET_ID AS BIGINT)
       WHEN regexp_extract(BASKET_ID, '^[0-9]{1,18}$', 0) = BASKET_ID AND TRY_CAST(BASKET_ID AS BIGINT) BETWEEN 0 AND 999999999999999999 THEN TRY_CAST(BASKET_ID AS BIGINT) END AS BASKET_ID,
  CASE WHEN BASKET_SIZE IN ('S', 'M', 'L', 'XX') THEN BASKET_SIZE END AS BASKET_SIZE,
  CASE WHEN BASKET_PRICE_SENSITIVITY IN ('LA', 'MM', 'UM', 'XX') THEN BASKET_PRICE_SENSITIVITY END AS BASKET_PRICE_SENSITIVITY,
  CASE WHEN BASKET_TYPE IN ('Small Shop', 'Top Up', 'Full Shop', 'XX') THEN BASKET_TYPE END AS BASKET_TYPE,
  CASE WHEN BASKET_DOMINANT_MISSION IN ('Fresh', 'Grocery', 'Mixed', 'Non Food', 'XX') THEN BASKET_DOMINANT_MISSION END AS BASKET_DOMINANT_MISSION,
  NULLIF(STORE_CODE, '') AS STORE_CODE,
  CASE WHEN STORE_FORMAT IN ('SS', 'MS', 'LS', 'XLS', 'XX') THEN STORE_FORMAT END AS STORE_FORMAT,
  CASE WHEN STORE_REGION = 'XX' OR (LENGTH(STORE_REGION) = 3 AND regexp_extract(STORE_REGION, '^[ENSW][0-9]{2}$', 0) = STORE_REGION) THEN STORE_REGION END AS STORE_REGION,
  regexp_extract(concat_ws('', PROD_CODE, PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, CUST_CODE, seg_1, seg_2, STORE_CODE),
    '[' || chr(0) || '-' || chr(31) || chr(127) || ']', 0) = '' AS TEXT_OK
FROM trimmed
