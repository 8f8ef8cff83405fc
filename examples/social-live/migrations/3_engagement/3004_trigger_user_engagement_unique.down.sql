-- 3004_trigger_user_engagement_unique (down): drops the trigger (and its clones on the
-- partitions), then the function.
DROP TRIGGER user_engagement_unique_trigger ON user_engagement;
DROP FUNCTION enforce_user_engagement_unique();
