-- 2002_create_posts (down): drops table posts.
DROP TABLE posts;
