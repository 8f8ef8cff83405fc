-- 2004_triggers_updated_at: trigger update_posts_updated_at (000 "Update updated_at timestamp",
-- commented out in 000 and enabled here), using update_updated_at_column() from 1007.
-- Note: maintain_comment_count (2005) UPDATEs posts.comments_count, so a new or deleted comment
--   also moves its post's updated_at.
CREATE TRIGGER update_posts_updated_at BEFORE UPDATE ON posts
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
