-- 4006_mv_daily_metrics (down): drops materialized view daily_metrics (its index goes with it).
DROP MATERIALIZED VIEW daily_metrics;
