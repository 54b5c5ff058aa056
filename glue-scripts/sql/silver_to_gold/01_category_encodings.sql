-- The one source of the category -> code maps the model was trained with: joined by 03 and
-- written to serving/category_encodings.json for /predict. Unknown or XX categories get -1.
SELECT feature, category, code
FROM (
  VALUES
    ('store_format', 'SS', 0), ('store_format', 'MS', 1), ('store_format', 'LS', 2), ('store_format', 'XLS', 3),
    ('region_area', 'E', 0), ('region_area', 'N', 1), ('region_area', 'S', 2), ('region_area', 'W', 3),
    ('basket_type', 'Small Shop', 0), ('basket_type', 'Top Up', 1), ('basket_type', 'Full Shop', 2),
    ('basket_mission', 'Fresh', 0), ('basket_mission', 'Grocery', 1), ('basket_mission', 'Mixed', 2), ('basket_mission', 'Non Food', 3),
    ('basket_size', 'S', 0), ('basket_size', 'M', 1), ('basket_size', 'L', 2),
    ('label', 'LA', 0), ('label', 'MM', 1), ('label', 'UM', 2)
) AS encodings(feature, category, code)
