-- 4007_mv_engagement_metrics (down): drops materialized view engagement_metrics.
DROP MATERIALIZED VIEW engagement_metrics;
