-- 4005_create_audit_log: table audit_log (003 "Security Considerations / Audit Trail"), as
-- written. It is written by the audit trigger of 4008.
-- Note: user_id has no foreign key (as written): audit rows outlive the users they mention.
CREATE TABLE audit_log (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    table_name VARCHAR(50) NOT NULL,
    operation VARCHAR(10) NOT NULL,
    old_values JSONB,
    new_values JSONB,
    user_id UUID,
    timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

COMMENT ON TABLE audit_log IS 'Audit trail of changes to audited tables, written by audit_log_changes()';
COMMENT ON COLUMN audit_log.operation IS 'INSERT, UPDATE or DELETE';
COMMENT ON COLUMN audit_log.user_id IS 'Application user who made the change: current_user_id() at the time, NULL when unset';
