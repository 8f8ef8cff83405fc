-- 1005_create_user_profiles (down): drops table user_profiles.
DROP TABLE IF EXISTS user_profiles;
