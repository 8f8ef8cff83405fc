-- 3002_create_tax_collections (down): drops table tax_collections.
DROP TABLE tax_collections;
