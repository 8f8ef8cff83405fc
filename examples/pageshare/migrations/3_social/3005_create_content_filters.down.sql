-- 3005_create_content_filters (down): drops table content_filters.
DROP TABLE content_filters;
