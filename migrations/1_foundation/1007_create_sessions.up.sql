-- 1007_create_sessions: table sessions (004 §1 "sessions" only; the 004 appendix and 002 omit
-- it - known defect, the fuller definition wins). Placed in the foundation phase because
-- 002 gives phase 1 the purpose "user identity, authentication".
-- Its indexes (idx_sessions_*) are in 1010_indexes.
CREATE TABLE sessions (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token               VARCHAR(255) NOT NULL UNIQUE,
    expires_at          TIMESTAMPTZ(6) NOT NULL,
    ip_address          VARCHAR(45),
    user_agent          TEXT,
    last_activity_at    TIMESTAMPTZ(6) NOT NULL DEFAULT NOW(),
    created_at          TIMESTAMPTZ(6) NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ(6) NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE sessions IS 'User authentication sessions (managed by better-auth)';
COMMENT ON COLUMN sessions.token IS 'Session token (hashed, not raw JWT)';
COMMENT ON COLUMN sessions.expires_at IS 'Session expiration (7 days from creation)';
COMMENT ON COLUMN sessions.last_activity_at IS 'Last request timestamp for idle timeout';
