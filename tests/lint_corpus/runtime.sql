-- case: concurrent index inside a transaction
-- fires: concurrently-in-transaction
-- fails
CREATE INDEX CONCURRENTLY users_bio_idx ON users (bio);

-- case: concurrent drop inside a transaction
-- fires: concurrently-in-transaction
-- fails
DROP INDEX CONCURRENTLY users_name_idx;

-- case: concurrent reindex inside a transaction
-- fires: concurrently-in-transaction
-- fails
REINDEX INDEX CONCURRENTLY users_name_idx;

-- case: concurrent detach inside a transaction
-- fires: concurrently-in-transaction
-- fails
ALTER TABLE events DETACH PARTITION events_2025 CONCURRENTLY;

-- case: vacuum inside a transaction
-- fires: no-transaction-required
-- fails
VACUUM audit;

-- case: create database inside a transaction
-- fires: no-transaction-required
-- fails
CREATE DATABASE never_made;

-- case: alter system inside a transaction
-- fires: no-transaction-required
-- fails
ALTER SYSTEM SET work_mem = '8MB';

-- case: reindex schema inside a transaction
-- fires: no-transaction-required
-- fails
REINDEX SCHEMA public;

-- case: new enum value used in the same transaction
-- fires: enum-value-used-in-transaction
-- fails
ALTER TYPE mood ADD VALUE 'angry' AFTER 'sad';
UPDATE users SET feeling = 'angry' WHERE id = 1;

-- case: new enum value used in the next migration
-- quiet: enum-value-used-in-transaction
ALTER TYPE mood ADD VALUE 'bored' AFTER 'sad';
-- then
INSERT INTO tags VALUES ('bored', 'x');

-- case: new enum value in a no-transaction migration
-- no-transaction
-- quiet: enum-value-used-in-transaction
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'tired' AFTER 'sad';
UPDATE users SET feeling = 'tired' WHERE id = 2;

-- case: BEGIN inside a transactional migration
-- fires: transaction-control
BEGIN;
CREATE TABLE nested (a int);

-- case: BEGIN without COMMIT in a no-transaction migration
-- no-transaction
-- fires: transaction-control
CREATE TABLE before_tx (a int);
BEGIN;
CREATE TABLE in_tx (a int);

-- case: BEGIN with COMMIT in a no-transaction migration
-- no-transaction
-- quiet: transaction-control
BEGIN;
CREATE TABLE closed_tx (a int);
COMMIT;

-- case: duplicate assignment in UPDATE
-- fires: duplicate-column-assignment
-- fails
UPDATE tags SET note = 'a', note = 'b';

-- case: duplicate column in INSERT
-- fires: duplicate-column-assignment
-- fails
INSERT INTO tags (name, name) VALUES ('x', 'y');

-- case: distinct assignments
-- quiet: duplicate-column-assignment
UPDATE tags SET note = 'a' WHERE name = 'a';

-- case: syntax error
-- fires: syntax-error
-- fails
CREATE TABEL oops (a int);
