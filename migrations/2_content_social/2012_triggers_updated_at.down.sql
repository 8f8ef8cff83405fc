-- 2012_triggers_updated_at (down): drops the two triggers (the function belongs to 1012).
DROP TRIGGER IF EXISTS update_comments_updated_at ON comments;
DROP TRIGGER IF EXISTS update_posts_updated_at ON posts;
