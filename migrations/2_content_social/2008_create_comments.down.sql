-- 2008_create_comments (down): drops table comments.
DROP TABLE IF EXISTS comments;
