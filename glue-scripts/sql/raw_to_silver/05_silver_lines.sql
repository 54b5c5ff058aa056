-- The silver line items: the valid lines (02) once each, in baskets whose basket-level columns
-- agree on every line (04). A valid line whose hash is not among the repeated ones (03) has no
-- duplicate and is kept as it is; the repeated lines are taken once each from 03.
-- Inputs: valid_lines (02), repeated_lines (03), inconsistent_baskets (04).
WITH distinct_lines AS (
  SELECT v.*
  FROM valid_lines v
  LEFT JOIN repeated_lines r ON r.LINE_HASH = hash(
      v.SHOP_WEEK, v.SHOP_DATE, v.SHOP_WEEKDAY, v.SHOP_HOUR, v.QUANTITY, v.SPEND, v.PROD_CODE,
      v.PROD_CODE_10, v.PROD_CODE_20, v.PROD_CODE_30, v.PROD_CODE_40, v.CUST_CODE, v.seg_1, v.seg_2,
      v.BASKET_ID, v.BASKET_SIZE, v.BASKET_PRICE_SENSITIVITY, v.BASKET_TYPE, v.BASKET_DOMINANT_MISSION, v.STORE_CODE, v.STORE_FORMAT,
      v.STORE_REGION
    )
  WHERE r.LINE_HASH IS NULL
  UNION ALL
  SELECT
    SHOP_WEEK, SHOP_DATE, SHOP_WEEKDAY, SHOP_HOUR, QUANTITY, SPEND, PROD_CODE,
    PROD_CODE_10, PROD_CODE_20, PROD_CODE_30, PROD_CODE_40, CUST_CODE, seg_1, seg_2,
    BASKET_ID, BASKET_SIZE, BASKET_PRICE_SENSITIVITY, BASKET_TYPE, BASKET_DOMINANT_MISSION, STORE_CODE, STORE_FORMAT,
    STORE_REGION
  FROM repeated_lines
)
SELECT d.*
FROM distinct_lines d
LEFT JOIN inconsistent_baskets i ON i.BASKET_ID = d.BASKET_ID
WHERE i.BASKET_ID IS NULL
