-- Materialized views: storage parameters, WITH NO DATA, indexes, comments on the view
-- and its columns, a materialized view on another one.
CREATE TABLE sale (id int PRIMARY KEY, region text, amount numeric, sold date);
CREATE MATERIALIZED VIEW sale_by_region WITH (fillfactor = 90) AS
    SELECT region, sum(amount) AS total, count(*) AS n FROM sale GROUP BY region;
CREATE UNIQUE INDEX sale_by_region_key ON sale_by_region (region);
CREATE MATERIALIZED VIEW sale_by_month AS
    SELECT date_trunc('month', sold) AS month, sum(amount) AS total FROM sale GROUP BY 1 WITH NO DATA;
CREATE MATERIALIZED VIEW top_region AS SELECT region FROM sale_by_region ORDER BY total DESC LIMIT 1;
COMMENT ON MATERIALIZED VIEW sale_by_region IS 'refreshed nightly';
COMMENT ON COLUMN sale_by_region.total IS 'sum of amounts';
GRANT SELECT ON sale_by_region TO corpus_reader;
