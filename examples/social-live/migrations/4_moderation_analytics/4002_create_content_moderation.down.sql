-- 4002_create_content_moderation (down): drops table content_moderation.
DROP TABLE content_moderation;
