-- 4003_create_user_sessions (down): drops table user_sessions.
DROP TABLE user_sessions;
