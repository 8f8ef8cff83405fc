CREATE TABLE people (
  id int PRIMARY KEY,
  name varchar(32) NOT NULL,
  nick varchar(80),
  age smallint,
  score numeric(6,2),
  bio text,
  created timestamptz DEFAULT now(),
  legacy_flag boolean
);
CREATE TABLE scratch (x int);
CREATE UNLOGGED TABLE cache (k text PRIMARY KEY);
