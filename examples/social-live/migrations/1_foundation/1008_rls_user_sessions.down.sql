-- 1008_rls_user_sessions (down): drops the policy and disables row level security again.
DROP POLICY user_sessions_policy ON user_sessions;
ALTER TABLE user_sessions DISABLE ROW LEVEL SECURITY;
