-- 1004_create_user_sessions (down): drops table user_sessions (its grants go with it).
DROP TABLE user_sessions;
