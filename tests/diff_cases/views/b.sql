CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(12,2), placed date);
CREATE VIEW big_orders AS SELECT id, customer, amount FROM orders WHERE amount > 500;
CREATE VIEW big_customers AS SELECT customer, sum(amount) AS total FROM big_orders GROUP BY customer;
CREATE VIEW recent AS SELECT * FROM orders WHERE placed > DATE '2025-01-01';
CREATE MATERIALIZED VIEW daily AS SELECT placed, sum(amount) AS total, count(*) AS n FROM orders GROUP BY placed;
CREATE UNIQUE INDEX daily_placed ON daily (placed);
COMMENT ON VIEW big_orders IS 'over 500';
