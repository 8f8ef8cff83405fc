-- case: a feature migration on new tables only
-- quiet: index-not-concurrent, foreign-key-validates, locks-held-across-statements, foreign-key-without-index
CREATE TABLE teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE members (
  team_id bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users (id),
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX members_user_idx ON members (user_id);
CREATE TRIGGER teams_touch BEFORE UPDATE ON teams FOR EACH ROW EXECUTE FUNCTION touch();
COMMENT ON TABLE teams IS 'groups of users';
INSERT INTO teams (name) VALUES ('core'), ('ops');

-- case: the expand step of a column rename
-- quiet: rename-column, drop-column, volatile-default
-- fires: alter-table-combine
ALTER TABLE users ADD COLUMN handle text;
CREATE FUNCTION users_sync_handle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.handle := NEW.nick; RETURN NEW; END $$;
CREATE TRIGGER users_handle BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync_handle();
ALTER TABLE users ALTER COLUMN handle SET DEFAULT '';

-- case: the safe NOT NULL recipe, second half
-- quiet: set-not-null, check-validates, validate-same-transaction
ALTER TABLE users ADD CONSTRAINT users_score_nn CHECK (score IS NOT NULL) NOT VALID;
-- then
ALTER TABLE users VALIDATE CONSTRAINT users_score_nn;
ALTER TABLE users ALTER COLUMN score SET NOT NULL, DROP CONSTRAINT users_score_nn;

-- case: the unsafe NOT NULL recipe in one migration
-- fires: validate-same-transaction, locks-held-across-statements
-- quiet: set-not-null
ALTER TABLE users ADD CONSTRAINT users_price_nn CHECK (price IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_price_nn;
ALTER TABLE users ALTER COLUMN price SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_price_nn;

-- case: the safe foreign key recipe
-- quiet: foreign-key-validates, validate-same-transaction
ALTER TABLE audit ADD COLUMN post_ref bigint;
ALTER TABLE audit ADD CONSTRAINT audit_post_fk FOREIGN KEY (post_ref) REFERENCES posts (id) NOT VALID;
-- then
ALTER TABLE audit VALIDATE CONSTRAINT audit_post_fk;

-- case: the safe unique recipe
-- no-transaction
-- quiet: unique-constraint, index-not-concurrent
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS tags_note_uniq ON tags (note);
ALTER TABLE tags ADD CONSTRAINT tags_note_unique UNIQUE USING INDEX tags_note_uniq;

-- case: a backfill with DDL
-- fires: backfill-in-migration, locks-held-across-statements
ALTER TABLE posts ADD COLUMN word_count integer;
UPDATE posts SET word_count = length(body);
ALTER TABLE posts ALTER COLUMN word_count SET DEFAULT 0;

-- case: several risky changes to one table
-- fires: column-type-rewrite, set-not-null, alter-table-combine, locks-held-across-statements
ALTER TABLE posts ALTER COLUMN likes TYPE bigint;
ALTER TABLE posts ALTER COLUMN title SET NOT NULL;
ALTER TABLE posts ALTER COLUMN body SET DEFAULT '';

-- case: trigger and policy changes on existing tables
-- quiet: drop-table, lock-table
CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY posts_owner ON posts USING (user_id = 1);
DROP POLICY posts_owner ON posts;
DROP TRIGGER posts_touch ON posts;

-- case: views over existing tables
-- quiet: locks-held-across-statements, refresh-not-concurrent
CREATE VIEW active_users AS SELECT id, email FROM users WHERE score > 0;
CREATE VIEW post_titles AS SELECT p.id, p.title, u.email FROM posts p JOIN users u ON u.id = p.user_id;
CREATE MATERIALIZED VIEW tag_names AS SELECT name FROM tags;
REFRESH MATERIALIZED VIEW tag_names;
DROP VIEW post_titles;

-- case: functions and grants
-- quiet: locks-held-across-statements, backfill-in-migration
CREATE FUNCTION user_email(uid bigint) RETURNS text LANGUAGE sql STABLE AS $$ SELECT email FROM users WHERE id = uid $$;
CREATE OR REPLACE FUNCTION user_email(uid bigint) RETURNS text LANGUAGE sql STABLE AS $$ SELECT lower(email) FROM users WHERE id = uid $$;
GRANT SELECT ON users TO PUBLIC;
REVOKE SELECT ON users FROM PUBLIC;
SELECT user_email(1);

-- case: sequences and defaults
-- quiet: volatile-default, serial-column
CREATE SEQUENCE invoice_no START 1000;
ALTER TABLE audit ADD COLUMN invoice bigint;
ALTER TABLE audit ALTER COLUMN invoice SET DEFAULT nextval('invoice_no');
ALTER SEQUENCE invoice_no OWNED BY audit.invoice;

-- case: enum evolution over migrations
-- quiet: enum-value-used-in-transaction, rename-enum-value
ALTER TYPE mood ADD VALUE 'excited' AFTER 'happy';
-- then
UPDATE users SET feeling = 'excited' WHERE id = 3;
CREATE INDEX users_feeling_idx ON users (feeling) WHERE feeling = 'excited';

-- case: partition management
-- quiet: detach-partition-not-concurrent, drop-table
CREATE TABLE events_2026 (id bigint NOT NULL, at date NOT NULL);
ALTER TABLE events_2026 ADD CONSTRAINT events_2026_at CHECK (at >= '2026-01-01' AND at < '2027-01-01');
ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- case: comment and statistics changes are light
-- quiet: locks-held-across-statements, alter-table-combine
COMMENT ON COLUMN users.email IS 'login';
ALTER TABLE users ALTER COLUMN email SET STATISTICS 500;
ANALYZE users;

-- case: moving a table to a new schema
-- fires: locks-held-across-statements
CREATE SCHEMA archive;
ALTER TABLE audit SET SCHEMA archive;
CREATE INDEX archive_audit_at ON archive.audit (at);

-- case: dropping an old column the safe way still needs an allow
-- fires: drop-column, unused-allow
-- strata:allow drop-table the old table was replaced by audit in release 3
CREATE TABLE old_audit (a int);
DROP TABLE old_audit;
ALTER TABLE users DROP COLUMN addr;

-- case: a no-transaction migration of several concurrent operations
-- no-transaction
-- quiet: index-not-concurrent, drop-index-not-concurrent, concurrently-in-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS posts_title_idx ON posts (title);
DROP INDEX CONCURRENTLY IF EXISTS users_name_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_name_lower_idx ON users (lower(name));
REINDEX INDEX CONCURRENTLY posts_user_id_idx;

-- case: a no-transaction migration with plain DDL
-- no-transaction
-- fires: index-not-concurrent
-- quiet: locks-held-across-statements
CREATE TABLE nt_table (a int);
ALTER TABLE audit ADD COLUMN nt int;
CREATE INDEX audit_nt ON audit (nt);

-- case: type changes that keep the data
-- quiet: column-type-rewrite
ALTER TABLE users ALTER COLUMN name TYPE varchar(200), ALTER COLUMN price TYPE numeric(20,2);
ALTER TABLE tags ALTER COLUMN note TYPE text;

-- case: quoted identifiers
-- fires: index-not-concurrent
CREATE TABLE "Mixed" ("Id" bigint PRIMARY KEY, "Name" text);
-- then
CREATE INDEX "Mixed_name" ON "Mixed" ("Name");

-- case: a settings-first migration
-- quiet: missing-lock-timeout, missing-statement-timeout
-- uncovered
SET lock_timeout = '3s';
SET statement_timeout = '1min';
ALTER TABLE audit ADD COLUMN region text;
CREATE INDEX audit_region_idx ON audit (region);
RESET statement_timeout;

-- case: lookup table instead of an enum
-- quiet: create-enum, foreign-key-without-index, foreign-key-validates
CREATE TABLE statuses (code text PRIMARY KEY);
INSERT INTO statuses VALUES ('open'), ('closed');
CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, status text NOT NULL REFERENCES statuses (code));
CREATE INDEX tickets_status_idx ON tickets (status);
INSERT INTO tickets (status) VALUES ('open');

-- case: seeding reference rows into new tables
-- quiet: backfill-in-migration, duplicate-column-assignment
CREATE TABLE tiers (id bigint PRIMARY KEY, name text NOT NULL, price numeric(10,2) NOT NULL);
INSERT INTO tiers (id, name, price) VALUES (1, 'free', 0), (2, 'pro', 9.99);
INSERT INTO tiers (id, name, price) SELECT 3, 'team', 29.99;
UPDATE tiers SET price = 19.99 WHERE id = 3;
DELETE FROM tiers WHERE id = 3;

-- case: extension and function setup
-- quiet: locks-held-across-statements, volatile-default
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE api_keys (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_id bigint NOT NULL REFERENCES users (id));
CREATE INDEX api_keys_user_idx ON api_keys (user_id);
CREATE FUNCTION new_key(uid bigint) RETURNS uuid LANGUAGE sql AS $$ INSERT INTO api_keys (user_id) VALUES (uid) RETURNING id $$;

-- case: dropping what this migration made
-- quiet: drop-table, drop-column, drop-index-not-concurrent
CREATE TABLE temp_calc (a int, b int);
CREATE INDEX temp_calc_a ON temp_calc (a);
ALTER TABLE temp_calc DROP COLUMN b;
DROP INDEX temp_calc_a;
DROP TABLE temp_calc;
