-- 2008_triggers_counters (down): drops the two triggers, then their functions.
DROP TRIGGER follower_count_trigger ON user_followers;
DROP FUNCTION update_follower_counts();
DROP TRIGGER posts_count_trigger ON posts;
DROP FUNCTION update_user_posts_count();
