-- 4003_indexes (down): drops the six indexes of the up script.
DROP INDEX idx_audit_created;
DROP INDEX idx_audit_entity;
DROP INDEX idx_audit_action;
DROP INDEX idx_audit_account;
DROP INDEX idx_notifications_unread;
DROP INDEX idx_notifications_account;
