-- 2014_triggers_friendship (down): drops trigger_create_friendship, then its function.
DROP TRIGGER IF EXISTS trigger_create_friendship ON user_follows;
DROP FUNCTION IF EXISTS create_friendship_on_mutual_follow();
