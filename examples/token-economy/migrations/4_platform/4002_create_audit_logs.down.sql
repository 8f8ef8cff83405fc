-- 4002_create_audit_logs (down): drops table audit_logs (and its sequence audit_logs_log_id_seq).
DROP TABLE audit_logs;
