CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(10,2), placed date);
CREATE VIEW big_orders AS SELECT id, customer, amount FROM orders WHERE amount > 100;
CREATE VIEW big_customers AS SELECT customer, sum(amount) AS total FROM big_orders GROUP BY customer;
CREATE VIEW dropped_view AS SELECT id FROM orders;
CREATE MATERIALIZED VIEW daily AS SELECT placed, sum(amount) AS total FROM orders GROUP BY placed;
