-- 2009_create_reposts (down): drops table reposts.
DROP TABLE IF EXISTS reposts;
