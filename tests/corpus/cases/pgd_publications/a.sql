-- Publications (wal_level need not be logical to define them): for all tables, for some
-- tables, with publish options and partition root.
CREATE TABLE orders (id int PRIMARY KEY, total numeric);
CREATE TABLE customer (id int PRIMARY KEY, name text);
CREATE TABLE audit_log (at timestamptz, line text);
CREATE TABLE metric (at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE metric_2025 PARTITION OF metric FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE PUBLICATION everything FOR ALL TABLES;
CREATE PUBLICATION sales FOR TABLE orders, customer WITH (publish = 'insert, update');
CREATE PUBLICATION metrics FOR TABLE metric WITH (publish_via_partition_root = true);
CREATE PUBLICATION empty_pub;
COMMENT ON PUBLICATION sales IS 'to the warehouse';
