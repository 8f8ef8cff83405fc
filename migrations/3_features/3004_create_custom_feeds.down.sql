-- 3004_create_custom_feeds (down): drops table custom_feeds.
DROP TABLE IF EXISTS custom_feeds;
