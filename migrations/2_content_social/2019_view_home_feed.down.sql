-- 2019_view_home_feed (down): drops view home_feed.
DROP VIEW IF EXISTS home_feed;
