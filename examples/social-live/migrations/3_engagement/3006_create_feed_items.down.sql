-- 3006_create_feed_items (down): drops table feed_items.
DROP TABLE feed_items;
