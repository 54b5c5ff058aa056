-- The silver line items: valid lines (02) of baskets whose basket-level columns agree on every
-- line. A BASKET_ID shared by two stores, dates, customers or labels is two baskets merged by
-- mistake; its lines are rejected (counted as inconsistent_basket in 04), never merged.
-- Input: valid_lines (02).
SELECT v.*
FROM valid_lines v
LEFT JOIN (
  SELECT BASKET_ID
  FROM valid_lines
  GROUP BY BASKET_ID
  HAVING COUNT(DISTINCT SHOP_WEEK) > 1
      OR COUNT(DISTINCT SHOP_DATE) > 1
      OR COUNT(DISTINCT SHOP_WEEKDAY) > 1
      OR COUNT(DISTINCT SHOP_HOUR) > 1
      OR COUNT(DISTINCT COALESCE(CUST_CODE, '')) > 1
      OR COUNT(DISTINCT BASKET_SIZE) > 1
      OR COUNT(DISTINCT BASKET_PRICE_SENSITIVITY) > 1
      OR COUNT(DISTINCT BASKET_TYPE) > 1
      OR COUNT(DISTINCT BASKET_DOMINANT_MISSION) > 1
      OR COUNT(DISTINCT STORE_CODE) > 1
      OR COUNT(DISTINCT STORE_FORMAT) > 1
      OR COUNT(DISTINCT STORE_REGION) > 1
) inconsistent ON inconsistent.BASKET_ID = v.BASKET_ID
WHERE inconsistent.BASKET_ID IS NULL
