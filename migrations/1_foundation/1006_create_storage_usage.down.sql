-- 1006_create_storage_usage (down): drops table storage_usage.
DROP TABLE IF EXISTS storage_usage;
