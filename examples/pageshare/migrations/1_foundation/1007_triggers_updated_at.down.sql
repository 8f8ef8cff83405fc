-- 1007_triggers_updated_at (down): drops trigger users_updated_at, then update_updated_at().
-- (Fails, as it should, while phase 2's triggers still use the function.)
DROP TRIGGER users_updated_at ON users;
DROP FUNCTION update_updated_at();
