CREATE SCHEMA sales;
CREATE SCHEMA reporting;
COMMENT ON SCHEMA reporting IS 'read models';
CREATE EXTENSION "uuid-ossp" WITH SCHEMA sales;
CREATE TABLE sales.items (id int PRIMARY KEY, name text);
CREATE TABLE reporting.daily (day date PRIMARY KEY, total numeric(12,2));
