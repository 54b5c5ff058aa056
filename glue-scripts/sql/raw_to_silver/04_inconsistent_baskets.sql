-- The baskets whose basket-level columns disagree between lines: a BASKET_ID shared by two
-- stores, dates, customers or labels is two baskets merged by mistake; 05 rejects all its lines
-- (counted as inconsistent_basket in 06), never merges them. Input: valid_lines (02), duplicates
-- included: they change no MIN or MAX. MIN < MAX is COUNT(DISTINCT) > 1 for columns without
-- NULLs (valid lines have none; CUST_CODE is coalesced), at the cost of two running values
-- instead of a set per basket.
SELECT BASKET_ID
FROM valid_lines
GROUP BY BASKET_ID
HAVING MIN(SHOP_WEEK) < MAX(SHOP_WEEK)
    OR MIN(SHOP_DATE) < MAX(SHOP_DATE)
    OR MIN(SHOP_WEEKDAY) < MAX(SHOP_WEEKDAY)
    OR MIN(SHOP_HOUR) < MAX(SHOP_HOUR)
    OR MIN(COALESCE(CUST_CODE, '')) < MAX(COALESCE(CUST_CODE, ''))
    OR MIN(BASKET_SIZE) < MAX(BASKET_SIZE)
    OR MIN(BASKET_PRICE_SENSITIVITY) < MAX(BASKET_PRICE_SENSITIVITY)
    OR MIN(BASKET_TYPE) < MAX(BASKET_TYPE)
    OR MIN(BASKET_DOMINANT_MISSION) < MAX(BASKET_DOMINANT_MISSION)
    OR MIN(STORE_CODE) < MAX(STORE_CODE)
    OR MIN(STORE_FORMAT) < MAX(STORE_FORMAT)
    OR MIN(STORE_REGION) < MAX(STORE_REGION)
