-- 4003_create_user_sessions: table user_sessions (001 §17 "user_sessions"), used for DAU/MAU
-- metrics and activity tracking. Placed with the other monitoring tables in phase 4.
CREATE TABLE user_sessions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    session_start TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    session_end TIMESTAMPTZ,
    ip_address_hash VARCHAR(64),
    user_agent TEXT,
    country_code VARCHAR(2),
    actions_count INTEGER DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE user_sessions IS 'User session tracking for metrics (DAU, MAU calculation)';
COMMENT ON COLUMN user_sessions.id IS 'Unique session ID';
COMMENT ON COLUMN user_sessions.user_id IS 'User ID';
COMMENT ON COLUMN user_sessions.session_start IS 'Session start timestamp';
COMMENT ON COLUMN user_sessions.session_end IS 'Session end timestamp (null if active)';
COMMENT ON COLUMN user_sessions.ip_address_hash IS 'Hashed IP address';
COMMENT ON COLUMN user_sessions.user_agent IS 'User agent string';
COMMENT ON COLUMN user_sessions.country_code IS 'User country';
COMMENT ON COLUMN user_sessions.actions_count IS 'Number of actions in session (posts, comments, etc.)';
COMMENT ON COLUMN user_sessions.created_at IS 'Session creation timestamp';
