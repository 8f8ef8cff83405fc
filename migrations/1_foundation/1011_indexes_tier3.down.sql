-- 1011_indexes_tier3 (down): drops idx_user_profiles_style_config_gin.
DROP INDEX IF EXISTS idx_user_profiles_style_config_gin;
