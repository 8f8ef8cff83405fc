-- 1006_indexes (down): drops the twelve indexes of the up script.
DROP INDEX idx_reset_tokens_expires;
DROP INDEX idx_reset_tokens_hash;
DROP INDEX idx_reset_tokens_user_id;
DROP INDEX idx_sessions_active;
DROP INDEX idx_sessions_expires_at;
DROP INDEX idx_sessions_token_hash;
DROP INDEX idx_sessions_user_id;
DROP INDEX idx_users_active;
DROP INDEX idx_users_created_at;
DROP INDEX idx_users_role;
DROP INDEX idx_users_username;
DROP INDEX idx_users_email;
