-- 2006_create_friendships (down): drops table friendships.
DROP TABLE IF EXISTS friendships;
