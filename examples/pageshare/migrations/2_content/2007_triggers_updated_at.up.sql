-- 2007_triggers_updated_at: triggers posts_updated_at and comments_updated_at
-- (001 "Functions & Triggers"), using update_updated_at() from 1007.
CREATE TRIGGER posts_updated_at
    BEFORE UPDATE ON posts
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at();

CREATE TRIGGER comments_updated_at
    BEFORE UPDATE ON comments
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at();
