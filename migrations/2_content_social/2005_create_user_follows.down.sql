-- 2005_create_user_follows (down): drops table user_follows.
DROP TABLE IF EXISTS user_follows;
