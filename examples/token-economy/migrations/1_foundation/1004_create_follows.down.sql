-- 1004_create_follows (down): drops table follows.
DROP TABLE follows;
