-- case: plain index on an existing table
-- fires: index-not-concurrent
CREATE INDEX users_score_idx ON users (score);

-- case: unique index on an existing table
-- fires: index-not-concurrent
CREATE UNIQUE INDEX tags_note_key ON tags (note);

-- case: partial expression index on an existing table
-- fires: index-not-concurrent
CREATE INDEX users_lower_email ON users (lower(email)) WHERE score > 10;

-- case: index on a table created in the same migration
-- quiet: index-not-concurrent
CREATE TABLE drafts (id bigint PRIMARY KEY, user_id bigint, body text);
CREATE INDEX drafts_user_idx ON drafts (user_id);

-- case: index on a schema-qualified new table
-- quiet: index-not-concurrent
CREATE TABLE public.notes (id bigint PRIMARY KEY, txt text);
CREATE INDEX notes_txt ON public.notes (txt);

-- case: concurrent index in a no-transaction migration
-- no-transaction
-- quiet: index-not-concurrent, concurrently-in-transaction, not-idempotent
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_seen_idx ON users (seen);

-- case: concurrent index without IF NOT EXISTS
-- no-transaction
-- fires: not-idempotent
-- quiet: index-not-concurrent
CREATE INDEX CONCURRENTLY users_seen_idx2 ON users (seen);

-- case: drop an index
-- fires: drop-index-not-concurrent
DROP INDEX users_name_idx;

-- case: drop an index with IF EXISTS, still blocking
-- fires: drop-index-not-concurrent
DROP INDEX IF EXISTS posts_user_id_idx;

-- case: drop an index created in the same migration
-- quiet: drop-index-not-concurrent
CREATE TABLE scratch1 (a int);
CREATE INDEX scratch1_a ON scratch1 (a);
DROP INDEX scratch1_a;

-- case: drop index concurrently
-- no-transaction
-- quiet: drop-index-not-concurrent, not-idempotent
DROP INDEX CONCURRENTLY IF EXISTS users_name_idx;

-- case: reindex a table
-- fires: reindex-not-concurrent
REINDEX TABLE posts;

-- case: reindex an index
-- fires: reindex-not-concurrent
REINDEX INDEX users_name_idx;

-- case: reindex concurrently
-- no-transaction
-- quiet: reindex-not-concurrent, concurrently-in-transaction
REINDEX TABLE CONCURRENTLY posts;

-- case: foreign key on an existing table
-- fires: foreign-key-validates
ALTER TABLE audit ADD COLUMN user_id bigint;
ALTER TABLE posts ADD CONSTRAINT posts_user_fk2 FOREIGN KEY (user_id) REFERENCES users (id);

-- case: foreign key with NOT VALID
-- quiet: foreign-key-validates
ALTER TABLE posts ADD CONSTRAINT posts_user_fk3 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;

-- case: foreign key on a new table
-- quiet: foreign-key-validates
CREATE TABLE likes (user_id bigint NOT NULL, post_id bigint NOT NULL);
ALTER TABLE likes ADD CONSTRAINT likes_post_fk FOREIGN KEY (post_id) REFERENCES posts (id);
CREATE INDEX likes_post_idx ON likes (post_id);

-- case: new table referencing an existing one
-- quiet: foreign-key-validates
CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts (id));
CREATE INDEX comments_post_idx ON comments (post_id);

-- case: column added with REFERENCES
-- fires: foreign-key-validates
ALTER TABLE audit ADD COLUMN post_id bigint REFERENCES posts (id);

-- case: check constraint on an existing table
-- fires: check-validates
ALTER TABLE users ADD CONSTRAINT users_score_positive CHECK (score > 0);

-- case: check constraint NOT VALID
-- quiet: check-validates
ALTER TABLE users ADD CONSTRAINT users_score_positive2 CHECK (score > 0) NOT VALID;

-- case: check constraint on a new table
-- quiet: check-validates
CREATE TABLE prices (amount numeric);
ALTER TABLE prices ADD CONSTRAINT prices_positive CHECK (amount > 0);

-- case: column added with a check
-- fires: check-validates
ALTER TABLE posts ADD COLUMN rating integer CHECK (rating BETWEEN 1 AND 5);

-- case: validate in its own migration
-- quiet: validate-same-transaction, check-validates
ALTER TABLE users VALIDATE CONSTRAINT users_bio_not_null;

-- case: add NOT VALID then validate in the same transaction
-- fires: validate-same-transaction
ALTER TABLE posts ADD CONSTRAINT posts_likes_positive CHECK (likes >= 0) NOT VALID;
ALTER TABLE posts VALIDATE CONSTRAINT posts_likes_positive;

-- case: foreign key NOT VALID then validate in the same transaction
-- fires: validate-same-transaction
ALTER TABLE posts ADD CONSTRAINT posts_user_fk4 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE posts VALIDATE CONSTRAINT posts_user_fk4;

-- case: set not null without a check
-- fires: set-not-null
ALTER TABLE users ALTER COLUMN score SET NOT NULL;

-- case: set not null after a validated check
-- quiet: set-not-null
ALTER TABLE users ALTER COLUMN nick SET NOT NULL;

-- case: set not null after a check that is not validated
-- fires: set-not-null
ALTER TABLE users ALTER COLUMN bio SET NOT NULL;

-- case: set not null after the check was validated by an earlier migration
-- quiet: set-not-null
ALTER TABLE users VALIDATE CONSTRAINT users_bio_not_null;
-- then
ALTER TABLE users ALTER COLUMN bio SET NOT NULL;

-- case: set not null on a new table
-- quiet: set-not-null
CREATE TABLE sessions (token text);
ALTER TABLE sessions ALTER COLUMN token SET NOT NULL;

-- case: int to bigint rewrites
-- fires: column-type-rewrite
ALTER TABLE users ALTER COLUMN score TYPE bigint;

-- case: text to integer with USING
-- fires: column-type-rewrite
ALTER TABLE posts ALTER COLUMN title TYPE integer USING length(title);

-- case: varchar widened does not rewrite
-- quiet: column-type-rewrite
ALTER TABLE users ALTER COLUMN name TYPE varchar(100);

-- case: varchar to text does not rewrite
-- quiet: column-type-rewrite
ALTER TABLE users ALTER COLUMN nick TYPE text;

-- case: varchar narrowed rewrites
-- fires: column-type-rewrite
ALTER TABLE tags ALTER COLUMN note TYPE varchar(5);

-- case: numeric precision raised does not rewrite
-- quiet: column-type-rewrite
ALTER TABLE users ALTER COLUMN price TYPE numeric(12,2);

-- case: numeric scale changed rewrites
-- fires: column-type-rewrite
ALTER TABLE users ALTER COLUMN price TYPE numeric(12,3);

-- case: cidr to inet does not rewrite
-- quiet: column-type-rewrite
ALTER TABLE users ALTER COLUMN addr TYPE inet;

-- case: timestamp precision raised does not rewrite
-- quiet: column-type-rewrite
ALTER TABLE users ALTER COLUMN born TYPE timestamp(6);

-- case: type change on a new table
-- quiet: column-type-rewrite
CREATE TABLE counters (n integer);
ALTER TABLE counters ALTER COLUMN n TYPE bigint;

-- case: timestamp to timestamptz may rewrite
-- fires: column-type-rewrite
ALTER TABLE users ALTER COLUMN born TYPE timestamptz;

-- case: volatile default rewrites
-- fires: volatile-default
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();

-- case: random default rewrites
-- fires: volatile-default
ALTER TABLE posts ADD COLUMN r float8 DEFAULT random();

-- case: clock_timestamp default rewrites
-- fires: volatile-default
ALTER TABLE posts ADD COLUMN stamped timestamptz DEFAULT clock_timestamp();

-- case: now() default does not rewrite
-- quiet: volatile-default
ALTER TABLE posts ADD COLUMN added_at timestamptz DEFAULT now();

-- case: constant default does not rewrite
-- quiet: volatile-default, not-null-column-without-default
ALTER TABLE posts ADD COLUMN status text NOT NULL DEFAULT 'draft';

-- case: jsonb literal default does not rewrite
-- quiet: volatile-default
ALTER TABLE users ADD COLUMN prefs jsonb DEFAULT '{}'::jsonb;

-- case: volatile default on a new table
-- quiet: volatile-default
CREATE TABLE tokens (id int);
ALTER TABLE tokens ADD COLUMN t uuid DEFAULT gen_random_uuid();

-- case: set default afterwards does not rewrite
-- quiet: volatile-default
ALTER TABLE posts ADD COLUMN ref uuid;
ALTER TABLE posts ALTER COLUMN ref SET DEFAULT gen_random_uuid();

-- case: stored generated column
-- fires: generated-column-stored
ALTER TABLE posts ADD COLUMN title_len integer GENERATED ALWAYS AS (length(title)) STORED;

-- case: generated column on a new table
-- quiet: generated-column-stored
CREATE TABLE boxes (w int, h int, area int GENERATED ALWAYS AS (w * h) STORED);

-- case: serial column added
-- fires: serial-column
ALTER TABLE audit ADD COLUMN seq bigserial;

-- case: identity column added
-- fires: serial-column
ALTER TABLE audit ADD COLUMN n bigint GENERATED BY DEFAULT AS IDENTITY;

-- case: plain bigint column added
-- quiet: serial-column, volatile-default
ALTER TABLE audit ADD COLUMN n bigint;

-- case: primary key added to an existing table
-- fires: primary-key-added
ALTER TABLE audit ADD COLUMN id bigint;
ALTER TABLE audit ADD PRIMARY KEY (id);

-- case: serial primary key column added
-- fires: primary-key-added, serial-column
ALTER TABLE audit ADD COLUMN id bigserial PRIMARY KEY;

-- case: primary key on a new table
-- quiet: primary-key-added
CREATE TABLE logs (id bigint);
ALTER TABLE logs ADD PRIMARY KEY (id);

-- case: primary key using an index over NOT NULL columns
-- quiet: primary-key-using-index-nullable, primary-key-added
CREATE TABLE keyed (k bigint NOT NULL);
-- then
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS keyed_k ON keyed (k);
-- then
ALTER TABLE keyed ADD CONSTRAINT keyed_pkey PRIMARY KEY USING INDEX keyed_k;

-- case: primary key using an index over a nullable column
-- fires: primary-key-using-index-nullable
-- quiet: primary-key-added
CREATE TABLE loose (k bigint);
-- then
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS loose_k ON loose (k);
-- then
ALTER TABLE loose ADD CONSTRAINT loose_pkey PRIMARY KEY USING INDEX loose_k;

-- case: unique constraint
-- fires: unique-constraint
ALTER TABLE users ADD CONSTRAINT users_nick_key UNIQUE (nick);

-- case: unique constraint using an index
-- quiet: unique-constraint
ALTER TABLE users ADD CONSTRAINT users_email_unique UNIQUE USING INDEX users_email_key;

-- case: unique column added
-- fires: unique-constraint
ALTER TABLE audit ADD COLUMN code text UNIQUE;

-- case: unique constraint on a new table
-- quiet: unique-constraint
CREATE TABLE codes (c text);
ALTER TABLE codes ADD CONSTRAINT codes_c_key UNIQUE (c);

-- case: exclusion constraint
-- fires: exclusion-constraint
ALTER TABLE users ADD CONSTRAINT users_no_twin EXCLUDE USING btree (email WITH =);

-- case: exclusion constraint on a new table
-- quiet: exclusion-constraint
CREATE TABLE rooms (n int, EXCLUDE USING btree (n WITH =));

-- case: vacuum full
-- no-transaction
-- fires: vacuum-full
VACUUM FULL posts;

-- case: plain vacuum outside a transaction
-- no-transaction
-- quiet: vacuum-full, no-transaction-required
VACUUM posts;

-- case: cluster
-- fires: cluster
CLUSTER posts USING posts_pkey;

-- case: refresh materialized view
-- fires: refresh-not-concurrent
REFRESH MATERIALIZED VIEW user_counts;

-- case: refresh concurrently
-- quiet: refresh-not-concurrent
REFRESH MATERIALIZED VIEW CONCURRENTLY user_counts;

-- case: detach a partition
-- fires: detach-partition-not-concurrent
ALTER TABLE events DETACH PARTITION events_2024;

-- case: detach a partition concurrently
-- no-transaction
-- quiet: detach-partition-not-concurrent, concurrently-in-transaction
ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;

-- case: set unlogged rewrites
-- fires: table-rewrite
ALTER TABLE audit SET UNLOGGED;

-- case: set logged rewrites
-- fires: table-rewrite
CREATE UNLOGGED TABLE temp_stage (a int);
-- then
ALTER TABLE temp_stage SET LOGGED;

-- case: storage parameter does not rewrite
-- quiet: table-rewrite
ALTER TABLE posts SET (fillfactor = 80);

-- case: domain constraint added
-- fires: domain-check-added
ALTER DOMAIN posint ADD CONSTRAINT posint_positive CHECK (VALUE > 0);

-- case: domain constraint added NOT VALID
-- quiet: domain-check-added
ALTER DOMAIN posint ADD CONSTRAINT posint_positive2 CHECK (VALUE > 0) NOT VALID;

-- case: more statements after an AccessExclusiveLock
-- fires: locks-held-across-statements
ALTER TABLE users ADD COLUMN nickname2 text;
CREATE TABLE after_lock (a int);

-- case: the strong lock comes last
-- quiet: locks-held-across-statements
CREATE TABLE before_lock (a int);
ALTER TABLE users ADD COLUMN nickname3 text;

-- case: strong lock on a new table only
-- quiet: locks-held-across-statements
CREATE TABLE fresh (a int);
ALTER TABLE fresh ADD COLUMN b int;
INSERT INTO fresh VALUES (1, 2);

-- case: backfill in a migration
-- fires: backfill-in-migration
UPDATE posts SET likes = 0;

-- case: bounded backfill still counts
-- fires: backfill-in-migration
DELETE FROM audit WHERE at < now() - interval '1 year';

-- case: filling a new table is fine
-- quiet: backfill-in-migration
CREATE TABLE colors (name text);
INSERT INTO colors VALUES ('red');
UPDATE colors SET name = 'blue';

-- case: insert into an existing table
-- quiet: backfill-in-migration
INSERT INTO tags VALUES ('c', 'z');

-- case: two alters where one would do
-- fires: alter-table-combine
ALTER TABLE audit ADD COLUMN a1 int;
ALTER TABLE audit ADD COLUMN a2 int;

-- case: one alter with two actions
-- quiet: alter-table-combine
ALTER TABLE audit ADD COLUMN b1 int, ADD COLUMN b2 int;

-- case: validate after add is not a combine
-- quiet: alter-table-combine
ALTER TABLE users VALIDATE CONSTRAINT users_bio_not_null;
ALTER TABLE users ALTER COLUMN bio SET NOT NULL, DROP CONSTRAINT users_bio_not_null;
