-- The yearly rotation, a partition moved out and back under another bound, a new index.
CREATE TABLE measurement_2026 PARTITION OF measurement FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE measurement DETACH PARTITION measurement_old;
CREATE TABLE orders_apac (id bigint NOT NULL, customer_id int NOT NULL, region text NOT NULL);
ALTER TABLE orders ATTACH PARTITION orders_apac FOR VALUES IN ('jp', 'au');
ALTER TABLE orders DETACH PARTITION orders_us;
ALTER TABLE orders ATTACH PARTITION orders_us FOR VALUES IN ('us', 'ca');
CREATE INDEX orders_customer ON orders (customer_id);
DROP TABLE measurement_2025_rest;
ALTER TABLE measurement ADD COLUMN source text;
ALTER TABLE session ALTER COLUMN data SET NOT NULL;
