-- 1010_indexes (down): drops the indexes created by the up script.
DROP INDEX IF EXISTS idx_verification_tokens_token;
DROP INDEX IF EXISTS verification_token_unique;
DROP INDEX IF EXISTS idx_sessions_expires_at;
DROP INDEX IF EXISTS idx_sessions_token;
DROP INDEX IF EXISTS idx_sessions_user;
DROP INDEX IF EXISTS idx_user_profiles_visibility;
DROP INDEX IF EXISTS idx_users_status;
DROP INDEX IF EXISTS idx_users_email;
