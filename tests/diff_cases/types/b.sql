CREATE TYPE status AS ENUM ('new', 'doing', 'done', 'archived');
CREATE TYPE colour AS ENUM ('red', 'blue');
CREATE DOMAIN email AS text NOT NULL DEFAULT 'nobody@example.com' CONSTRAINT email_check CHECK (VALUE LIKE '%@%.%');
CREATE DOMAIN percent AS numeric(5,2) CHECK (VALUE BETWEEN 0 AND 100);
CREATE TYPE point2 AS (x int, y int, z int);
CREATE TABLE tasks (id int PRIMARY KEY, status status NOT NULL DEFAULT 'doing', owner email, tint colour, done percent);
