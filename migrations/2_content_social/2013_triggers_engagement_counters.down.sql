-- 2013_triggers_engagement_counters (down): drops the four counter triggers, then their functions.
DROP TRIGGER IF EXISTS trigger_update_comment_replies_count ON comments;
DROP TRIGGER IF EXISTS trigger_update_post_reposts_count ON reposts;
DROP TRIGGER IF EXISTS trigger_update_post_comments_count ON comments;
DROP TRIGGER IF EXISTS trigger_update_post_likes_count ON post_interactions;
DROP FUNCTION IF EXISTS update_comment_replies_count();
DROP FUNCTION IF EXISTS update_post_reposts_count();
DROP FUNCTION IF EXISTS update_post_comments_count();
DROP FUNCTION IF EXISTS update_post_likes_count();
