-- 2002_create_comments (down): drops table comments.
DROP TABLE comments;
