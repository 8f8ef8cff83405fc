-- 1009_user_profiles_jsonb_checks (down): drops the two JSONB CHECK constraints.
ALTER TABLE user_profiles DROP CONSTRAINT IF EXISTS user_profiles_style_color_valid;
ALTER TABLE user_profiles DROP CONSTRAINT IF EXISTS user_profiles_background_config_valid;
