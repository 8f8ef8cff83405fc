-- case: drop a column
-- fires: drop-column
ALTER TABLE users DROP COLUMN bio;

-- case: drop a column with IF EXISTS
-- fires: drop-column
ALTER TABLE posts DROP COLUMN IF EXISTS body;

-- case: drop a column of a new table
-- quiet: drop-column
CREATE TABLE wip (a int, b int);
ALTER TABLE wip DROP COLUMN b;

-- case: drop a table
-- fires: drop-table
DROP TABLE audit;

-- case: drop two tables
-- fires: drop-table
DROP TABLE IF EXISTS audit, tags;

-- case: drop a table made in the same migration
-- quiet: drop-table
CREATE TABLE tmp_import (a int);
DROP TABLE tmp_import;

-- case: rename a column
-- fires: rename-column
ALTER TABLE users RENAME COLUMN nick TO handle;

-- case: rename a column of a new table
-- quiet: rename-column
CREATE TABLE staging (a int);
ALTER TABLE staging RENAME COLUMN a TO b;

-- case: rename a table
-- fires: rename-table
ALTER TABLE audit RENAME TO audit_log;

-- case: rename a new table
-- quiet: rename-table
CREATE TABLE staging2 (a int);
ALTER TABLE staging2 RENAME TO final2;
CREATE INDEX final2_a ON final2 (a);

-- case: rename a schema
-- fires: rename-schema
CREATE SCHEMA reporting;
-- then
ALTER SCHEMA reporting RENAME TO reports;

-- case: create a schema
-- quiet: rename-schema
CREATE SCHEMA analytics;

-- case: rename an enum value
-- fires: rename-enum-value
ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';

-- case: add an enum value is not a rename
-- quiet: rename-enum-value
ALTER TYPE mood ADD VALUE 'calm' AFTER 'happy';

-- case: truncate cascade
-- fires: truncate-cascade
TRUNCATE posts CASCADE;

-- case: truncate without cascade
-- quiet: truncate-cascade
TRUNCATE audit;

-- case: lock table default mode
-- fires: lock-table
LOCK TABLE users;

-- case: lock table share row exclusive
-- fires: lock-table
LOCK TABLE posts IN SHARE ROW EXCLUSIVE MODE;

-- case: lock two tables access share
-- fires: lock-table
LOCK TABLE users, posts IN ACCESS SHARE MODE;

-- case: NOT NULL column without default on a table with rows
-- fires: not-null-column-without-default
-- fails
ALTER TABLE users ADD COLUMN plan text NOT NULL;

-- case: NOT NULL column with a default
-- quiet: not-null-column-without-default
ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';

-- case: NOT NULL column on a new table
-- quiet: not-null-column-without-default
CREATE TABLE plans (id int);
ALTER TABLE plans ADD COLUMN name text NOT NULL;

-- case: NOT NULL identity column
-- quiet: not-null-column-without-default
ALTER TABLE audit ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY NOT NULL;

-- case: cluster of a table made in the same migration
-- quiet: cluster
CREATE TABLE clustered (a int PRIMARY KEY);
CLUSTER clustered USING clustered_pkey;

-- case: drop database
-- no-transaction
-- fires: drop-database
-- fails
DROP DATABASE never_there;

-- case: create database is not a drop
-- no-transaction
-- quiet: drop-database, no-transaction-required
CREATE DATABASE lint_corpus_made_here;
