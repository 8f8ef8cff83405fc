-- 1007_triggers_updated_at: trigger function update_updated_at() and trigger users_updated_at
-- (001 "Functions & Triggers").
-- Decision: CREATE FUNCTION, not the document's CREATE OR REPLACE, so that an up never silently
--   replaces a function of the same name that the down would then drop.
-- The posts_updated_at and comments_updated_at triggers are created in phase 2 (2007), with
--   their tables. 001 gives no updated_at trigger for any other table, and no other table has
--   an updated_at column.
CREATE FUNCTION update_updated_at()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER users_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at();
