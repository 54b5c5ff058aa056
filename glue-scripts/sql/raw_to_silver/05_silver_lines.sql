-- The silver line items: the valid lines (02) once each, in baskets whose basket-level columns
-- agree on every line (04). A valid line whose hash is not among the repeated ones (03) has no
-- duplicate and is kept as it is; the repeated lines are taken once each from 03.
-- Inputs: valid_lines (02), repeated_lines (03), inconsistent_baskets (04).
SELECT v.*
FROM valid_lines v
LEFT JOIN repeated_lines r ON r.LINE_HASH = hash(
    v.SHOP_WEEK, v.SHOP_DATE, v.SHOP_WEEKDAY, v.SHOP_HOUR, v.QUANTITY, v.SPEND, v.PROD_CODE,
    v.PROD_CODE_10, v.PROD_CODE_20, v.PROD_CODE_30, v.PROD_CODE_40, v.CUST_CODE, v.seg_1, v.seg_2,
    v.BASKET_ID, v.BASKET_SIZE, v.BASKET_PRICE_SENSITIVITY, v.BASKET_TYPE, v.BASKET_DOMINANT_MISSION, v.STORE_CODE, v.STORE_FORMAT,
    v.STORE_REGION
  )
LEFT JOIN inconsistent_baskets i ON i.BASKET_ID = v.BASKET_ID
WHERE r.LINE_HASH IS NULL AND i.BASKET_ID IS NULL
UNION ALL
SELECT
  r.SHOP_WEEK, r.SHOP_DATE, r.SHOP_WEEKDAY, r.SHOP_HOUR, r.QUANTITY, r.SPEND, r.PROD_CODE,
  r.PROD_CODE_10, r.PROD_CODE_20, r.PROD_CODE_30, r.PROD_CODE_40, r.CUST_CODE, r.seg_1, r.seg_2,
  r.BASKET_ID, r.BASKET_SIZE, r.BASKET_PRICE_SENSITIVITY, r.BASKET_TYPE, r.BASKET_DOMINANT_MISSION, r.STORE_CODE, r.STORE_FORMAT,
  r.STORE_REGION
FROM repeated_lines r
LEFT JOIN inconsistent_baskets i ON i.BASKET_ID = r.BASKET_ID
WHERE i.BASKET_ID IS NULL
