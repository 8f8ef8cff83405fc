-- 4002_create_audit_logs: table audit_logs (000 "Audit Logs: System-wide audit trail"), as
-- written. BIGSERIAL creates the sequence audit_logs_log_id_seq, owned by the column (dropped
-- with the table). 000 defines no trigger that writes it: the application writes it, and none is
-- invented.
CREATE TABLE audit_logs (
    log_id BIGSERIAL PRIMARY KEY,
    account_id UUID REFERENCES accounts(account_id) ON DELETE SET NULL,
    page_id UUID REFERENCES pages(page_id) ON DELETE SET NULL,
    action VARCHAR(50) NOT NULL,
    entity_type VARCHAR(20),
    entity_id UUID,
    details JSONB,
    ip_address INET,
    user_agent TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE audit_logs IS 'System-wide audit trail';
