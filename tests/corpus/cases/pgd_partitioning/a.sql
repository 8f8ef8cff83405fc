-- Partitioned tables: range, list and hash, a sub-partitioned partition, a default
-- partition, partitioned indexes and keys, foreign keys to and from partitioned tables.
CREATE TABLE customer (id int PRIMARY KEY, region text NOT NULL);
CREATE TABLE measurement (
    city_id int NOT NULL,
    logdate date NOT NULL,
    peaktemp int,
    unitsales int CHECK (unitsales >= 0),
    PRIMARY KEY (city_id, logdate)
) PARTITION BY RANGE (logdate);
CREATE TABLE measurement_2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
    PARTITION BY LIST (city_id);
CREATE TABLE measurement_2025_low PARTITION OF measurement_2025 FOR VALUES IN (1, 2, 3);
CREATE TABLE measurement_2025_rest PARTITION OF measurement_2025 DEFAULT;
CREATE TABLE measurement_old PARTITION OF measurement FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
CREATE INDEX measurement_peak ON measurement (peaktemp);
CREATE INDEX measurement_2024_sales ON measurement_2024 (unitsales);

CREATE TABLE orders (
    id bigint NOT NULL,
    customer_id int NOT NULL REFERENCES customer (id),
    region text NOT NULL,
    PRIMARY KEY (id, region)
) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu', 'uk');
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
CREATE TABLE order_note (
    order_id bigint NOT NULL,
    region text NOT NULL,
    note text,
    FOREIGN KEY (order_id, region) REFERENCES orders (id, region) ON DELETE CASCADE
);

CREATE TABLE session (id uuid NOT NULL, data jsonb) PARTITION BY HASH (id);
CREATE TABLE session_0 PARTITION OF session FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE session_1 PARTITION OF session FOR VALUES WITH (MODULUS 2, REMAINDER 1);
COMMENT ON TABLE measurement IS 'readings by day';
