-- 3007_view_post_stats (down): drops view post_stats.
DROP VIEW post_stats;
