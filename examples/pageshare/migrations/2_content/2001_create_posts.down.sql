-- 2001_create_posts (down): drops table posts.
DROP TABLE posts;
