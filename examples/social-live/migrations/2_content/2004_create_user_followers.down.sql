-- 2004_create_user_followers (down): drops table user_followers.
DROP TABLE user_followers;
