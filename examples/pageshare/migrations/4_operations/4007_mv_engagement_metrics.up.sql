-- 4007_mv_engagement_metrics: materialized view engagement_metrics
-- (001 "Materialized View: engagement_metrics"), as written.
-- It always has exactly one row and 001 gives it no index, so it is refreshed with a plain
--   REFRESH MATERIALIZED VIEW engagement_metrics (001's refresh command); CONCURRENTLY is not
--   available for it (that needs a unique index) and not needed.
CREATE MATERIALIZED VIEW engagement_metrics AS
SELECT
    COUNT(DISTINCT p.id) AS total_posts,
    COUNT(DISTINCT c.id) AS total_comments,
    COUNT(DISTINCT r.id) AS total_reactions,
    COUNT(DISTINCT rp.id) AS total_reposts,
    COUNT(DISTINCT p.user_id) AS users_with_posts,
    ROUND(COUNT(DISTINCT p.id)::NUMERIC / NULLIF(COUNT(DISTINCT p.user_id), 0), 2) AS avg_posts_per_user,
    ROUND(COUNT(DISTINCT c.id)::NUMERIC / NULLIF(COUNT(DISTINCT p.id), 0), 2) AS avg_comments_per_post,
    ROUND(COUNT(DISTINCT r.id)::NUMERIC / NULLIF(COUNT(DISTINCT p.id), 0), 2) AS avg_reactions_per_post,
    ROUND(COUNT(DISTINCT rp.id)::NUMERIC / NULLIF(COUNT(DISTINCT p.id), 0), 2) AS avg_reposts_per_post
FROM posts p
LEFT JOIN comments c ON c.post_id = p.id AND c.deleted_at IS NULL
LEFT JOIN reactions r ON r.post_id = p.id
LEFT JOIN reposts rp ON rp.post_id = p.id
WHERE p.deleted_at IS NULL;

COMMENT ON MATERIALIZED VIEW engagement_metrics IS 'Pre-computed engagement statistics; refresh: REFRESH MATERIALIZED VIEW engagement_metrics';
