-- 2006_view_hot_feed (down): drops view v_hot_feed.
DROP VIEW v_hot_feed;
