-- 4002_create_error_logs (down): drops table error_logs.
DROP TABLE error_logs;
