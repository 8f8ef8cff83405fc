-- 4003_create_messages (down): drops table messages.
DROP TABLE IF EXISTS messages;
