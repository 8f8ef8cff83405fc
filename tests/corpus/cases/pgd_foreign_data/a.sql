-- Foreign data: wrappers (with and without handler/validator, options), servers with
-- type, version and options, user mappings (for a role and for PUBLIC), foreign tables
-- with table and column options, constraints and defaults, a foreign table as a partition,
-- grants on wrappers and servers.
CREATE EXTENSION postgres_fdw;
CREATE FOREIGN DATA WRAPPER plain_fdw;
CREATE FOREIGN DATA WRAPPER checked_fdw VALIDATOR postgresql_fdw_validator;
CREATE FOREIGN DATA WRAPPER optioned_fdw OPTIONS (debug 'true');
CREATE SERVER warehouse FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'warehouse.internal', dbname 'dw', port '5432');
CREATE SERVER files TYPE 'csv' VERSION '1.0' FOREIGN DATA WRAPPER plain_fdw;
CREATE USER MAPPING FOR corpus_reader SERVER warehouse OPTIONS (user 'reader');
CREATE USER MAPPING FOR PUBLIC SERVER files;
CREATE FOREIGN TABLE remote_sales (
    id bigint NOT NULL,
    amount numeric(12,2) OPTIONS (column_name 'amt') DEFAULT 0,
    sold_at timestamptz,
    CONSTRAINT remote_sales_amount_check CHECK (amount >= 0)
) SERVER warehouse OPTIONS (schema_name 'sales', table_name 'facts');
CREATE FOREIGN TABLE imported (line text) SERVER files OPTIONS (filename '/data/import.csv');
CREATE TABLE event (at date NOT NULL, what text) PARTITION BY RANGE (at);
CREATE TABLE event_recent PARTITION OF event FOR VALUES FROM ('2025-01-01') TO (MAXVALUE);
CREATE FOREIGN TABLE event_old PARTITION OF event FOR VALUES FROM (MINVALUE) TO ('2025-01-01') SERVER warehouse;
GRANT USAGE ON FOREIGN SERVER warehouse TO corpus_reader;
GRANT USAGE ON FOREIGN DATA WRAPPER plain_fdw TO corpus_owner;
GRANT SELECT ON remote_sales TO corpus_reader;
COMMENT ON SERVER warehouse IS 'the data warehouse';
COMMENT ON FOREIGN TABLE remote_sales IS 'sales facts';
