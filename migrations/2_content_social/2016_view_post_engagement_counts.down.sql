-- 2016_view_post_engagement_counts (down): drops view post_engagement_counts.
DROP VIEW IF EXISTS post_engagement_counts;
