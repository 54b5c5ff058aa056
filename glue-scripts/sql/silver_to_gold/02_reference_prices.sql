-- The reference unit price (SPEND / QUANTITY) of each product and, as the fallback for a product
-- the training window did not see, of each product group (PROD_CODE_30). Input: silver_lines.
-- Training window = the lines of train-split baskets (BASKET_ID % 10 < 8, the split of 06), so no
-- validation or test basket defines the price it is compared with. The median, so a product's
-- cheap and dear lines do not move the reference as a mean would. Written whole to
-- serving/reference_prices.json: /predict scores with the references its model was trained with.
-- Lines with SPEND 0 have no price and are left out.
SELECT
  'product' AS level,
  PROD_CODE AS code,
  CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY SPEND / QUANTITY) AS DOUBLE) AS reference_price,
  CAST(COUNT(*) AS BIGINT) AS lines
FROM silver_lines
WHERE BASKET_ID % 10 < 8 AND SPEND > 0
GROUP BY PROD_CODE
UNION ALL
SELECT
  'group' AS level,
  PROD_CODE_30 AS code,
  CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY SPEND / QUANTITY) AS DOUBLE) AS reference_price,
  CAST(COUNT(*) AS BIGINT) AS lines
FROM silver_lines
WHERE BASKET_ID % 10 < 8 AND SPEND > 0 AND PROD_CODE_30 IS NOT NULL
GROUP BY PROD_CODE_30
