-- 2004_triggers_updated_at (down): drops trigger update_posts_updated_at.
DROP TRIGGER update_posts_updated_at ON posts;
