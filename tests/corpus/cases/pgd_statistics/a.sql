-- corpus: min_version 14
-- Extended statistics: each kind, on columns and on expressions, with a target.
CREATE SCHEMA stats;
CREATE TABLE address (id int, zip text, city text, state text, lat float8, lon float8);
CREATE STATISTICS stats.address_deps (dependencies) ON zip, city, state FROM address;
CREATE STATISTICS address_nd (ndistinct) ON city, state FROM address;
CREATE STATISTICS address_mcv (mcv) ON city, state FROM address;
CREATE STATISTICS address_all ON zip, city FROM address;
CREATE STATISTICS address_expr ON (lower(city)), state FROM address;
ALTER STATISTICS address_mcv SET STATISTICS 500;
COMMENT ON STATISTICS address_nd IS 'cities within states';
