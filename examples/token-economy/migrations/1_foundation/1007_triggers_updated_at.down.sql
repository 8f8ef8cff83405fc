-- 1007_triggers_updated_at (down): drops the two triggers, then update_updated_at_column().
-- (Fails, as it should, while phase 2's update_posts_updated_at still uses the function.)
DROP TRIGGER update_pages_updated_at ON pages;
DROP TRIGGER update_accounts_updated_at ON accounts;
DROP FUNCTION update_updated_at_column();
