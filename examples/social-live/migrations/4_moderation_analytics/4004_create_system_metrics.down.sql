-- 4004_create_system_metrics (down): drops table system_metrics.
DROP TABLE system_metrics;
