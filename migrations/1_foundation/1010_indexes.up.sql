-- 1010_indexes: indexes on the foundation tables.
--   002 "Phase 1 Indexes": idx_users_email, idx_users_status.
--   004 "Indexes Strategy / User & Profile Queries" and appendix: idx_user_profiles_visibility
--     (in no 002 tier; user_profiles is a phase-1 table, so phase 1).
--   004 §1 "sessions" / "verification_tokens": idx_sessions_user, idx_sessions_token,
--     idx_sessions_expires_at, verification_token_unique (a UNIQUE index, as 004 writes it),
--     idx_verification_tokens_token.
-- Note: idx_users_email and idx_sessions_token / idx_verification_tokens_token duplicate the
--   unique-constraint indexes on the same column; they are created because the documents
--   name them. Not CONCURRENTLY (002 "Index Creation Strategy"): migrations run in a transaction.
-- The Tier 3 GIN index on user_profiles.style_config is in 1011_indexes_tier3.
CREATE INDEX idx_users_email ON users(email);
CREATE INDEX idx_users_status ON users(status) WHERE status = 'active';

CREATE INDEX idx_user_profiles_visibility
    ON user_profiles(visibility)
    WHERE visibility != 'private';

CREATE INDEX idx_sessions_user ON sessions(user_id);
CREATE INDEX idx_sessions_token ON sessions(token);
CREATE INDEX idx_sessions_expires_at ON sessions(expires_at);

CREATE UNIQUE INDEX verification_token_unique ON verification_tokens(identifier, token);
CREATE INDEX idx_verification_tokens_token ON verification_tokens(token);
