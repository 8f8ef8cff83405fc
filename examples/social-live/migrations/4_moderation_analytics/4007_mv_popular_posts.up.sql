-- 4007_mv_popular_posts: materialized view popular_posts and its index idx_popular_posts_score
-- (003 "Performance Optimization / Materialized Views"), as written.
-- Created WITH DATA (the default). 003's "Refresh schedule" comment gives no schedule: refresh
--   with REFRESH MATERIALIZED VIEW popular_posts (e.g. from cron). 003 gives it no unique index,
--   so REFRESH ... CONCURRENTLY is not available; none is invented. The ORDER BY ... LIMIT 1000
--   selects the top rows; readers must still ORDER BY engagement_score themselves.
CREATE MATERIALIZED VIEW popular_posts AS
SELECT
    p.id,
    p.user_id,
    p.content,
    p.likes_count,
    p.comments_count,
    p.engagement_score,
    u.username,
    u.profile_picture
FROM posts p
JOIN users u ON p.user_id = u.id
WHERE p.created_at > CURRENT_DATE - INTERVAL '7 days'
    AND p.visibility = 'PUBLIC'
    AND p.deleted_at IS NULL
ORDER BY p.engagement_score DESC
LIMIT 1000;

CREATE INDEX idx_popular_posts_score ON popular_posts(engagement_score DESC);

COMMENT ON MATERIALIZED VIEW popular_posts IS 'Top 1000 public posts of the last 7 days by engagement_score; refresh: REFRESH MATERIALIZED VIEW popular_posts';
