-- 4002_create_conversations (down): drops table conversations.
DROP TABLE IF EXISTS conversations;
