-- 2007_create_post_interactions (down): drops table post_interactions.
DROP TABLE IF EXISTS post_interactions;
