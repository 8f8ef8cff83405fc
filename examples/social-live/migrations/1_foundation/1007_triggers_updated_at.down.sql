-- 1007_triggers_updated_at (down): drops trigger update_users_updated_at, then the function.
-- (Fails, as it should, while phase 2's update_posts_updated_at still uses it.)
DROP TRIGGER update_users_updated_at ON users;
DROP FUNCTION update_updated_at_column();
