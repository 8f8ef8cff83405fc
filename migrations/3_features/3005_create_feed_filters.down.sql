-- 3005_create_feed_filters (down): drops table feed_filters.
DROP TABLE IF EXISTS feed_filters;
