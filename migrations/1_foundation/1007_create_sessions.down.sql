-- 1007_create_sessions (down): drops table sessions.
DROP TABLE IF EXISTS sessions;
