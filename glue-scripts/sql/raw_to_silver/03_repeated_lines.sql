-- The valid lines that may occur more than once: each distinct one once, LINE_COUNT the number of
-- valid raw lines equal to it, LINE_HASH the hash 05 matches on. Input: valid_lines (02).
-- Exact duplicates without grouping every line on its 22 columns: equal lines have equal hash(...)
-- on both engines (NULLs included; SPEND is never -0.0 or NaN), so a line whose hash occurs once
-- among the valid lines has no duplicate and 05 keeps it as it is. Only the lines of a repeated
-- hash (the duplicates, and the rare different lines whose hashes collide: Spark's hash has 32
-- bits) are grouped here on all their columns, which keeps exactly one of each.
-- DuckDB, 2.67M lines of which 2,716 duplicates: hashing and grouping the hashes took 0.6 s CPU,
-- the GROUP BY of every line it replaces 5.8 s.
-- The hash is computed three times per valid line (here twice, in 05 once), on purpose: computed
-- once in 01 and written with typed_lines it cost 01 0.75 s CPU more (01 hashes the CSV reader's
-- flat vectors; here the scratch Parquet gives dictionary vectors, hashed in ~0.15 s a pass) and
-- saved 0.2 s here and 0.1 s in 05 (2.67M rows, medians of 3 interleaved runs, load 7-10).
SELECT
  hash(
    SHOP_WEEK, SHOP_DATE, SHOP_WEEKDAY, SHOP_HOUR, QUANTITY, SPEND, PROD_CODE,
    PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, CUST_CODE, seg_1, seg_2,
    BASKET_ID, BASKET_SIZE, BASKET_PRICE_SENSITIVITY, BASKET_TYPE, BASKET_DOMINANT_MISSION, STORE_CODE, STORE_FORMAT,
    STORE_REGION
  ) AS LINE_HASH,
  SHOP_WEEK, SHOP_DATE, SHOP_WEEKDAY, SHOP_HOUR, QUANTITY, SPEND, PROD_CODE,
  PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, CUST_CODE, seg_1, seg_2,
  BASKET_ID, BASKET_SIZE, BASKET_PRICE_SENSITIVITY, BASKET_TYPE, BASKET_DOMINANT_MISSION, STORE_CODE, STORE_FORMAT,
  STORE_REGION,
  COUNT(*) AS LINE_COUNT
FROM valid_lines
WHERE hash(
    SHOP_WEEK, SHOP_DATE, SHOP_WEEKDAY, SHOP_HOUR, QUANTITY, SPEND, PROD_CODE,
    PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, CUST_CODE, seg_1, seg_2,
    BASKET_ID, BASKET_SIZE, BASKET_PRICE_SENSITIVITY, BASKET_TYPE, BASKET_DOMINANT_MISSION, STORE_CODE, STORE_FORMAT,
    STORE_REGION
  ) IN (
  SELECT LINE_HASH
  FROM (
    SELECT hash(
        SHOP_WEEK, SHOP_DATE, SHOP_WEEKDAY, SHOP_HOUR, QUANTITY, SPEND, PROD_CODE,
        PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, CUST_CODE, seg_1, seg_2,
        BASKET_ID, BASKET_SIZE, BASKET_PRICE_SENSITIVITY, BASKET_TYPE, BASKET_DOMINANT_MISSION, STORE_CODE, STORE_FORMAT,
        STORE_REGION
      ) AS LINE_HASH
    FROM valid_lines
  ) hashed
  GROUP BY LINE_HASH
  HAVING COUNT(*) > 1
)
GROUP BY
  SHOP_WEEK, SHOP_DATE, SHOP_WEEKDAY, SHOP_HOUR, QUANTITY, SPEND, PROD_CODE,
  PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, CUST_CODE, seg_1, seg_2,
  BASKET_ID, BASKET_SIZE, BASKET_PRICE_SENSITIVITY, BASKET_TYPE, BASKET_DOMINANT_MISSION, STORE_CODE, STORE_FORMAT,
  STORE_REGION
