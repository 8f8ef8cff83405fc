CREATE TYPE status AS ENUM ('new', 'done');
CREATE TYPE colour AS ENUM ('red', 'green', 'blue');
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE TYPE point2 AS (x int, y int);
CREATE TABLE tasks (id int PRIMARY KEY, status status NOT NULL DEFAULT 'new', owner email, tint colour);
