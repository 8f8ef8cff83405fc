-- 4008_triggers_audit (down): drops the five audit triggers, then audit_log_changes().
DROP TRIGGER audit_content_moderation_trigger ON content_moderation;
DROP TRIGGER audit_user_followers_trigger ON user_followers;
DROP TRIGGER audit_comments_trigger ON comments;
DROP TRIGGER audit_posts_trigger ON posts;
DROP TRIGGER audit_users_trigger ON users;
DROP FUNCTION audit_log_changes();
