-- 4007_mv_popular_posts (down): drops materialized view popular_posts (its index goes with it).
DROP MATERIALIZED VIEW popular_posts;
