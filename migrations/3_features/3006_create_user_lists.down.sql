-- 3006_create_user_lists (down): drops table user_lists.
DROP TABLE IF EXISTS user_lists;
