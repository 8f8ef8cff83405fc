-- 4008_triggers_audit: trigger function audit_log_changes() and the audit triggers that write
-- audit_log (003 "Audit Trail" creates the table but nothing writes it; spec README defect).
-- Decision (what is audited): the tables holding accounts, user content, the social graph and
--   moderation decisions: users, posts, comments, user_followers, content_moderation; AFTER
--   INSERT OR UPDATE OR DELETE, FOR EACH ROW. High-volume or secret-bearing tables
--   (user_sessions, password_reset_tokens, user_engagement, feed_items, analytics/metrics) are
--   not audited.
-- Decision (row format): audit_log.table_name = TG_TABLE_NAME, operation = TG_OP, old_values =
--   to_jsonb(OLD) (UPDATE/DELETE), new_values = to_jsonb(NEW) (INSERT/UPDATE), user_id =
--   current_user_id() (the application user set in app.current_user_id, NULL when unset),
--   timestamp = its default. Columns named as trigger arguments are removed from both images:
--   the users trigger passes 'password_hash', so password hashes never reach the audit log. An
--   UPDATE that changes nothing (after that removal) writes no row. Counter updates made by the
--   triggers of 2008 are real UPDATEs of users and are audited.
-- Decision: SECURITY INVOKER (the default): a role that writes an audited table also needs
--   INSERT on audit_log. authenticated_users is granted no audited table, so nothing is needed
--   for it.
CREATE FUNCTION audit_log_changes()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $$
DECLARE
    hidden TEXT[] := COALESCE(TG_ARGV, ARRAY[]::TEXT[]);
    old_row JSONB;
    new_row JSONB;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_row := to_jsonb(OLD) - hidden;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_row := to_jsonb(NEW) - hidden;
    END IF;
    IF TG_OP = 'UPDATE' AND old_row = new_row THEN
        RETURN NULL;
    END IF;
    INSERT INTO audit_log (table_name, operation, old_values, new_values, user_id)
    VALUES (TG_TABLE_NAME, TG_OP, old_row, new_row, current_user_id());
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_users_trigger
    AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_log_changes('password_hash');

CREATE TRIGGER audit_posts_trigger
    AFTER INSERT OR UPDATE OR DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION audit_log_changes();

CREATE TRIGGER audit_comments_trigger
    AFTER INSERT OR UPDATE OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION audit_log_changes();

CREATE TRIGGER audit_user_followers_trigger
    AFTER INSERT OR UPDATE OR DELETE ON user_followers
    FOR EACH ROW EXECUTE FUNCTION audit_log_changes();

CREATE TRIGGER audit_content_moderation_trigger
    AFTER INSERT OR UPDATE OR DELETE ON content_moderation
    FOR EACH ROW EXECUTE FUNCTION audit_log_changes();
