-- case: timestamp column
-- fires: prefer-timestamptz
CREATE TABLE visits (at timestamp NOT NULL);

-- case: timestamp without time zone spelled out
-- fires: prefer-timestamptz
ALTER TABLE audit ADD COLUMN seen_at timestamp without time zone;

-- case: timestamptz column
-- quiet: prefer-timestamptz
CREATE TABLE visits2 (at timestamptz NOT NULL);

-- case: integer primary key
-- fires: prefer-bigint
CREATE TABLE small_keys (id integer PRIMARY KEY);

-- case: serial key
-- fires: prefer-bigint, prefer-identity
CREATE TABLE serial_keys (id serial PRIMARY KEY);

-- case: integer counter is fine
-- quiet: prefer-bigint
CREATE TABLE counts (id bigint PRIMARY KEY, n integer NOT NULL DEFAULT 0);

-- case: smallint table-level key
-- fires: prefer-bigint
CREATE TABLE tiny (code smallint, PRIMARY KEY (code));

-- case: varchar with a limit
-- fires: prefer-text
CREATE TABLE names (n varchar(40));

-- case: varchar without a limit and text
-- quiet: prefer-text
CREATE TABLE names2 (n varchar, m text);

-- case: serial column
-- fires: prefer-identity
CREATE TABLE things (id bigserial PRIMARY KEY);

-- case: identity column
-- quiet: prefer-identity, prefer-bigint
CREATE TABLE things2 (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);

-- case: char column
-- fires: prefer-text-over-char
CREATE TABLE codes2 (c char(2));

-- case: character column spelled out
-- fires: prefer-text-over-char
ALTER TABLE audit ADD COLUMN country character(2);

-- case: json column
-- fires: prefer-jsonb
ALTER TABLE audit ADD COLUMN payload json;

-- case: jsonb column
-- quiet: prefer-jsonb
ALTER TABLE audit ADD COLUMN payload jsonb;

-- case: enum created
-- fires: create-enum
CREATE TYPE size AS ENUM ('s', 'm', 'l');

-- case: composite type is not an enum
-- quiet: create-enum
CREATE TYPE pair AS (a int, b int);

-- case: enum value appended
-- fires: enum-value-position
ALTER TYPE mood ADD VALUE 'meh';

-- case: enum value placed
-- quiet: enum-value-position
ALTER TYPE mood ADD VALUE 'glad' BEFORE 'happy';

-- case: foreign key without an index
-- fires: foreign-key-without-index
CREATE TABLE follows (follower bigint REFERENCES users (id), followed bigint REFERENCES users (id));
CREATE INDEX follows_followed ON follows (followed);

-- case: foreign key with an index made later in the same migration
-- quiet: foreign-key-without-index
CREATE TABLE pins (user_id bigint REFERENCES users (id), post_id bigint);
CREATE INDEX pins_user ON pins (user_id, post_id);

-- case: composite foreign key covered by the primary key
-- quiet: foreign-key-without-index
CREATE TABLE pair_a (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE pair_b (a int, b int, PRIMARY KEY (a, b), FOREIGN KEY (a, b) REFERENCES pair_a (a, b));

-- case: drop not null
-- fires: drop-not-null
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;

-- case: drop not null of a new table
-- quiet: drop-not-null
CREATE TABLE loose2 (a int NOT NULL);
ALTER TABLE loose2 ALTER COLUMN a DROP NOT NULL;

-- case: domain with a check
-- fires: domain-with-constraint
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');

-- case: domain without a check
-- quiet: domain-with-constraint
CREATE DOMAIN label AS text;

-- case: long identifier
-- fires: identifier-too-long
CREATE TABLE this_table_name_is_far_too_long_for_postgres_to_keep_it_whole_really (a int);

-- case: identifier of 63 bytes
-- quiet: identifier-too-long
CREATE TABLE a23456789012345678901234567890123456789012345678901234567890123 (a int);

-- case: wide non-unique index
-- fires: index-too-many-columns
CREATE TABLE wide (a int, b int, c int, d int);
CREATE INDEX wide_all ON wide (a, b, c, d);

-- case: wide unique index is fine
-- quiet: index-too-many-columns
CREATE TABLE wide2 (a int, b int, c int, d int);
CREATE UNIQUE INDEX wide2_all ON wide2 (a, b, c, d);

-- case: strata allow with a reason
-- quiet: drop-column, allow-without-reason
-- strata:allow drop-column the column has been unused since release 12
ALTER TABLE users DROP COLUMN born;

-- case: strata allow without a reason
-- fires: allow-without-reason, drop-column
-- strata:allow drop-column
ALTER TABLE users DROP COLUMN born;

-- case: strata allow of an unknown rule
-- fires: allow-without-reason
CREATE TABLE ok_table (a int); -- strata:allow no-such-rule because
CREATE INDEX ok_table_a ON ok_table (a);

-- case: strata allow that suppresses nothing
-- fires: unused-allow
-- strata:allow drop-table nothing is dropped here
CREATE TABLE harmless (a int);

-- case: file-level allow covers every statement
-- quiet: drop-column, unused-allow
-- strata:allow drop-column both columns were retired in release 9
CREATE TABLE keep (a int);
ALTER TABLE users DROP COLUMN born;
ALTER TABLE posts DROP COLUMN body;

-- case: strong lock without any lock_timeout
-- uncovered
-- fires: missing-lock-timeout
ALTER TABLE audit ADD COLUMN x1 int;

-- case: strong lock after SET lock_timeout
-- uncovered
-- quiet: missing-lock-timeout
SET lock_timeout = '2s';
ALTER TABLE audit ADD COLUMN x2 int;

-- case: strong lock with the project's ddl_lock_timeout
-- quiet: missing-lock-timeout
ALTER TABLE audit ADD COLUMN x3 int;

-- case: SET lock_timeout to 0 does not count
-- uncovered
-- fires: missing-lock-timeout
SET lock_timeout = 0;
ALTER TABLE audit ADD COLUMN x4 int;

-- case: index build without statement_timeout
-- fires: missing-statement-timeout
CREATE INDEX users_bio_idx2 ON users (bio);

-- case: index build after SET statement_timeout
-- quiet: missing-statement-timeout
SET statement_timeout = '5min';
CREATE INDEX users_bio_idx3 ON users (bio);

-- case: brief lock needs no statement_timeout
-- quiet: missing-statement-timeout
ALTER TABLE audit ADD COLUMN x5 int;

-- case: text column instead of char
-- quiet: prefer-text-over-char, prefer-text
CREATE TABLE codes3 (c text CHECK (length(c) = 2));

-- case: valid SQL parses
-- quiet: syntax-error
CREATE TABLE parses (a int);
SELECT 1;
