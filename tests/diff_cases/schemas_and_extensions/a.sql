CREATE SCHEMA sales;
CREATE SCHEMA legacy;
CREATE EXTENSION pg_trgm;
CREATE TABLE sales.items (id int PRIMARY KEY, name text);
CREATE TABLE legacy.old (id int);
