-- 4006_mv_daily_metrics: materialized view daily_metrics and its unique index
-- idx_daily_metrics_date (001 "Materialized View: daily_metrics"), query as written.
-- REFRESH MATERIALIZED VIEW CONCURRENTLY daily_metrics (001's refresh command) needs a populated
--   view and a UNIQUE index on plain columns, without WHERE, covering every row:
--   idx_daily_metrics_date on metric_date is that index. metric_date is unique because it is the
--   GROUP BY key and never NULL (posts.created_at is NOT NULL). The view is created WITH DATA
--   (the default), so a concurrent refresh works right after the migration.
-- Notes (001 is silent or odd; the query is kept so that queries against it run unchanged):
--   * DATE(created_at) on a TIMESTAMPTZ uses the TimeZone of the session that refreshes the view;
--     refresh from a session with a fixed TimeZone (e.g. UTC) to get stable day boundaries.
--   * Every FILTER compares with NOW(), not with metric_date: each row counts, within its own
--     day's posts, those created in the last day / 7 / 30 days. dau/mau/new_users_* count
--     distinct post authors, not sign-ups (users.created_at) or sessions.
CREATE MATERIALIZED VIEW daily_metrics AS
SELECT
    DATE(created_at) AS metric_date,
    COUNT(DISTINCT user_id) FILTER (WHERE created_at >= DATE_TRUNC('day', NOW())) AS dau,
    COUNT(DISTINCT user_id) FILTER (WHERE created_at >= DATE_TRUNC('day', NOW()) - INTERVAL '30 days') AS mau,
    COUNT(*) FILTER (WHERE created_at >= DATE_TRUNC('day', NOW())) AS posts_today,
    COUNT(*) FILTER (WHERE created_at >= DATE_TRUNC('day', NOW()) - INTERVAL '7 days') AS posts_7d,
    COUNT(*) FILTER (WHERE created_at >= DATE_TRUNC('day', NOW()) - INTERVAL '30 days') AS posts_30d,
    COUNT(DISTINCT user_id) FILTER (WHERE created_at >= DATE_TRUNC('day', NOW())) AS new_users_today,
    COUNT(DISTINCT user_id) FILTER (WHERE created_at >= DATE_TRUNC('day', NOW()) - INTERVAL '7 days') AS new_users_7d,
    COUNT(DISTINCT user_id) FILTER (WHERE created_at >= DATE_TRUNC('day', NOW()) - INTERVAL '30 days') AS new_users_30d
FROM posts
WHERE deleted_at IS NULL
GROUP BY DATE(created_at);

CREATE UNIQUE INDEX idx_daily_metrics_date ON daily_metrics(metric_date);

COMMENT ON MATERIALIZED VIEW daily_metrics IS 'Pre-computed daily metrics for fast dashboard queries; refresh daily: REFRESH MATERIALIZED VIEW CONCURRENTLY daily_metrics';
