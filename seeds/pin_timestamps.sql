-- Triggers stamp the rows they touch with now() (updated_at, friendships.created_at,
-- storage_usage's times). Pin those stamps to the seed's clock (base_time in seeds.toml,
-- 2026-01-01) so that a given --rng-seed always gives byte-identical data. Triggers are off
-- for these updates only, so they do not stamp again.
ALTER TABLE posts DISABLE TRIGGER USER;
ALTER TABLE comments DISABLE TRIGGER USER;
ALTER TABLE storage_usage DISABLE TRIGGER USER;
ALTER TABLE friendships DISABLE TRIGGER USER;

UPDATE posts SET updated_at = created_at WHERE updated_at IS DISTINCT FROM created_at;
UPDATE comments SET updated_at = created_at WHERE updated_at IS DISTINCT FROM created_at;
UPDATE storage_usage
SET created_at = '2026-01-01T00:00:00Z', updated_at = '2026-01-01T00:00:00Z',
    last_calculated_at = '2026-01-01T00:00:00Z'
WHERE updated_at IS DISTINCT FROM '2026-01-01T00:00:00Z'
   OR created_at IS DISTINCT FROM '2026-01-01T00:00:00Z'
   OR last_calculated_at IS DISTINCT FROM '2026-01-01T00:00:00Z';
-- A friendship begins when the second follow of the pair is made. Only the rows the
-- trigger stamped in this transaction (the column's default, now()) are looked at: a bulk
-- load's recompute already wrote the right time, and checking its rows would join every
-- friendship with the follows twice for nothing.
UPDATE friendships f
SET created_at = greatest(a.created_at, b.created_at)
FROM user_follows a, user_follows b
WHERE f.created_at = now()
  AND a.follower_id = f.user_id_1 AND a.following_id = f.user_id_2
  AND b.follower_id = f.user_id_2 AND b.following_id = f.user_id_1
  AND f.created_at IS DISTINCT FROM greatest(a.created_at, b.created_at);

ALTER TABLE posts ENABLE TRIGGER USER;
ALTER TABLE comments ENABLE TRIGGER USER;
ALTER TABLE storage_usage ENABLE TRIGGER USER;
ALTER TABLE friendships ENABLE TRIGGER USER;
