-- 4002_create_error_logs: table error_logs (001 §16 "error_logs").
-- Note: resolved is nullable with DEFAULT FALSE, and resolved_by REFERENCES users(id) with no
--   ON DELETE action (NO ACTION), both as written.
CREATE TABLE error_logs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    error_type VARCHAR(50) NOT NULL,
    error_code VARCHAR(50),
    error_message TEXT NOT NULL,
    stack_trace TEXT,
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    request_path TEXT,
    request_method VARCHAR(10),
    request_id VARCHAR(100),
    user_agent TEXT,
    ip_address_hash VARCHAR(64),
    environment VARCHAR(20) NOT NULL,
    severity VARCHAR(20) NOT NULL DEFAULT 'error' CHECK (severity IN ('debug', 'info', 'warning', 'error', 'critical')),
    resolved BOOLEAN DEFAULT FALSE,
    resolved_at TIMESTAMPTZ,
    resolved_by UUID REFERENCES users(id),
    metadata JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE error_logs IS 'Backend and frontend error logs for monitoring and debugging';
COMMENT ON COLUMN error_logs.id IS 'Unique error log ID';
COMMENT ON COLUMN error_logs.error_type IS 'Type of error (backend, frontend, api, database)';
COMMENT ON COLUMN error_logs.error_code IS 'Error code (e.g., "AUTH_INVALID", "NOT_FOUND")';
COMMENT ON COLUMN error_logs.error_message IS 'Error message';
COMMENT ON COLUMN error_logs.stack_trace IS 'Stack trace for debugging';
COMMENT ON COLUMN error_logs.user_id IS 'User who encountered error (if applicable)';
COMMENT ON COLUMN error_logs.request_path IS 'API endpoint path';
COMMENT ON COLUMN error_logs.request_method IS 'HTTP method';
COMMENT ON COLUMN error_logs.request_id IS 'Request ID for tracing';
COMMENT ON COLUMN error_logs.user_agent IS 'User agent string';
COMMENT ON COLUMN error_logs.ip_address_hash IS 'Hashed IP address (SHA-256, privacy)';
COMMENT ON COLUMN error_logs.environment IS 'Environment (development, production)';
COMMENT ON COLUMN error_logs.severity IS 'Error severity level';
COMMENT ON COLUMN error_logs.resolved IS 'Whether error is resolved';
COMMENT ON COLUMN error_logs.resolved_at IS 'When error was resolved';
COMMENT ON COLUMN error_logs.resolved_by IS 'Admin who resolved';
COMMENT ON COLUMN error_logs.metadata IS 'Additional JSON context';
COMMENT ON COLUMN error_logs.created_at IS 'Error timestamp';
