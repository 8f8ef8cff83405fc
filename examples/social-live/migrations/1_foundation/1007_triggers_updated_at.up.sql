-- 1007_triggers_updated_at: trigger function update_updated_at_column() and trigger
-- update_users_updated_at (003 "Database Functions & Triggers / Update Timestamps Trigger").
-- update_posts_updated_at is created with posts, in 2007.
-- Decision: CREATE FUNCTION instead of CREATE OR REPLACE, so an up never silently replaces a
--   function that its down would then drop. 003 applies the trigger to users and posts only;
--   comments and media_files also have updated_at but 003 gives them no trigger, so none is
--   invented (the application sets updated_at there).
CREATE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
