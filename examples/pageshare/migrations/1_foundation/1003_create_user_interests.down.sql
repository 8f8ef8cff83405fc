-- 1003_create_user_interests (down): drops table user_interests.
DROP TABLE user_interests;
