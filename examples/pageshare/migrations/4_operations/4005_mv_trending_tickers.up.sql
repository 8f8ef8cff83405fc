-- 4005_mv_trending_tickers: materialized view trending_tickers and its unique index
-- idx_trending_tickers_ticker_id (001 "Materialized View: trending_tickers"), as written.
-- Created WITH DATA (the default), so it can be queried and refreshed (plain or CONCURRENTLY,
--   thanks to the unique index on ticker_id) right after the migration.
-- Note: the ORDER BY only orders the rows as first stored; readers must ORDER BY themselves
--   (a REFRESH ... CONCURRENTLY does not keep that order).
CREATE MATERIALIZED VIEW trending_tickers AS
SELECT
    t.id AS ticker_id,
    t.symbol,
    t.name,
    COUNT(DISTINCT pt.post_id) AS mention_count,
    COUNT(DISTINCT pt.post_id) FILTER (WHERE p.created_at >= NOW() - INTERVAL '24 hours') AS mentions_24h,
    MAX(p.created_at) AS last_mentioned_at
FROM tickers t
JOIN post_tickers pt ON pt.ticker_id = t.id
JOIN posts p ON p.id = pt.post_id AND p.deleted_at IS NULL
GROUP BY t.id, t.symbol, t.name
ORDER BY mentions_24h DESC, mention_count DESC;

CREATE UNIQUE INDEX idx_trending_tickers_ticker_id ON trending_tickers(ticker_id);

COMMENT ON MATERIALIZED VIEW trending_tickers IS 'Cached trending tickers; refresh periodically: REFRESH MATERIALIZED VIEW trending_tickers';
