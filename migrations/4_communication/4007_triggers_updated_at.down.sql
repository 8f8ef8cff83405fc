-- 4007_triggers_updated_at (down): drops the two triggers (the function belongs to 1012).
DROP TRIGGER IF EXISTS update_user_subscriptions_updated_at ON user_subscriptions;
DROP TRIGGER IF EXISTS update_messages_updated_at ON messages;
