-- 2007_triggers_updated_at: trigger update_posts_updated_at (003 "Update Timestamps Trigger"),
-- using update_updated_at_column() from 1007.
CREATE TRIGGER update_posts_updated_at BEFORE UPDATE ON posts
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
