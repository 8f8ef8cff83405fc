-- 1004_create_user_sessions: table user_sessions (003 "Authentication & Sessions / User Sessions
-- Table") and the privileges of authenticated_users on it.
-- Decision: 003's policy user_sessions_policy (1008) is FOR ALL TO authenticated_users, but 003
--   grants that role nothing, so the policy could never be exercised. The role gets SELECT,
--   INSERT, UPDATE, DELETE on user_sessions, the only table 003 puts under RLS (no other
--   privileges are granted). The GRANT lives here, with the table, so the down script's DROP
--   TABLE removes it and the catalog returns exactly to its previous state (a REVOKE would
--   leave an explicit ACL behind instead of the original default one).
CREATE TABLE user_sessions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    refresh_token_hash VARCHAR(255) NOT NULL,
    device_info JSONB,
    ip_address INET,
    user_agent TEXT,
    is_active BOOLEAN DEFAULT TRUE,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    last_used_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

COMMENT ON TABLE user_sessions IS 'Refresh-token sessions; users can only see their own sessions (RLS)';
COMMENT ON COLUMN user_sessions.refresh_token_hash IS 'SHA-256 hashed refresh token';

GRANT SELECT, INSERT, UPDATE, DELETE ON user_sessions TO authenticated_users;
