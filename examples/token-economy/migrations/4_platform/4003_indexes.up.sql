-- 4003_indexes: the indexes 000 names on notifications and audit_logs.
-- Not CONCURRENTLY: migrations run in a transaction.
CREATE INDEX idx_notifications_account ON notifications(account_id, is_read, created_at DESC);
CREATE INDEX idx_notifications_unread ON notifications(account_id, created_at DESC)
    WHERE is_read = FALSE;

CREATE INDEX idx_audit_account ON audit_logs(account_id, created_at DESC);
CREATE INDEX idx_audit_action ON audit_logs(action, created_at DESC);
CREATE INDEX idx_audit_entity ON audit_logs(entity_type, entity_id, created_at DESC);
CREATE INDEX idx_audit_created ON audit_logs(created_at DESC);
