-- 3002_create_reposts (down): drops table reposts.
DROP TABLE reposts;
