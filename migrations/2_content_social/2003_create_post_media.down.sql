-- 2003_create_post_media (down): drops table post_media.
DROP TABLE IF EXISTS post_media;
