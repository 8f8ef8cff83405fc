-- 4005_mv_trending_tickers (down): drops materialized view trending_tickers (its index goes with it).
DROP MATERIALIZED VIEW trending_tickers;
