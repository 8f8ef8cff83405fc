-- 1008_rls_user_sessions: row level security on user_sessions and the policy
-- user_sessions_policy (003 "Security Considerations / Row Level Security"), as written:
-- "Users can only see their own sessions".
-- The role authenticated_users and current_user_id() come from 1003, the role's privileges on
--   the table from 1004. For FOR ALL with USING only, the USING expression also checks new rows
--   (INSERT/UPDATE), so a user can neither see nor write another user's sessions.
-- Note: RLS is enabled, not forced: the table owner (and superusers) bypass it, as in 003.
--   Other roles without a policy see no rows.
ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;

CREATE POLICY user_sessions_policy ON user_sessions
    FOR ALL TO authenticated_users
    USING (user_id = current_user_id());
