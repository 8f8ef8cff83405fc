-- 2007_triggers_updated_at (down): drops the two triggers of the up script.
DROP TRIGGER comments_updated_at ON comments;
DROP TRIGGER posts_updated_at ON posts;
