-- The schema every corpus case starts from (applied, committed, before each case).
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE DOMAIN posint AS integer;
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  name varchar(50),
  nick varchar(20),
  bio text,
  score integer,
  price numeric(10,2),
  born timestamp(3),
  seen timestamptz,
  addr cidr,
  feeling mood,
  flags int[],
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_name_idx ON users (name);
CREATE TABLE posts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  title text,
  body text,
  likes integer NOT NULL DEFAULT 0
);
CREATE INDEX posts_user_id_idx ON posts (user_id);
CREATE TABLE tags (name text PRIMARY KEY, note varchar(10));
CREATE TABLE audit (at timestamptz, what text);
ALTER TABLE users ADD CONSTRAINT users_bio_not_null CHECK (bio IS NOT NULL) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_nick_not_null CHECK (nick IS NOT NULL);
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE MATERIALIZED VIEW user_counts AS SELECT user_id, count(*) AS n FROM posts GROUP BY user_id;
CREATE UNIQUE INDEX user_counts_user ON user_counts (user_id);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
INSERT INTO users (email, name, nick, bio, score, price, born, addr, feeling)
  SELECT 'u' || g || '@x.org', 'user ' || g, 'n' || g, 'bio', g, g, '2000-01-01', '10.0.0.0/8', 'happy'
  FROM generate_series(1, 200) g;
INSERT INTO posts (user_id, title, body) SELECT 1 + g % 200, 't' || g, 'b' FROM generate_series(1, 400) g;
INSERT INTO tags VALUES ('a', 'x'), ('b', 'y');
INSERT INTO events VALUES (1, '2024-03-01'), (2, '2025-03-01');
REFRESH MATERIALIZED VIEW user_counts;
ANALYZE;
