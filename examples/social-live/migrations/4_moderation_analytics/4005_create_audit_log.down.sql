-- 4005_create_audit_log (down): drops table audit_log.
DROP TABLE audit_log;
