-- 1012_triggers_updated_at (down): drops the five triggers, then update_updated_at_column().
-- (Fails, as it should, while later phases' updated_at triggers still use the function.)
DROP TRIGGER IF EXISTS update_sessions_updated_at ON sessions;
DROP TRIGGER IF EXISTS update_storage_usage_updated_at ON storage_usage;
DROP TRIGGER IF EXISTS update_subscription_tiers_updated_at ON subscription_tiers;
DROP TRIGGER IF EXISTS update_user_profiles_updated_at ON user_profiles;
DROP TRIGGER IF EXISTS update_users_updated_at ON users;
DROP FUNCTION IF EXISTS update_updated_at_column();
