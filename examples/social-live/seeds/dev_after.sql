-- Development data, last step: what the application (not a trigger of 003) maintains, made
-- deterministically from the generated rows, so a given --rng-seed always gives the same data.

-- 1. Seeding is not a user's change: drop the audit rows the seed's own inserts and the
--    counter triggers' updates wrote (audit_log.timestamp is the transaction's start time,
--    so these are exactly this transaction's rows). The audit trigger is tested on its own.
DELETE FROM audit_log WHERE "timestamp" = CURRENT_TIMESTAMP::timestamp;

-- The updates below are the application's bookkeeping: no updated_at stamp, no audit row.
ALTER TABLE users DISABLE TRIGGER USER;
ALTER TABLE posts DISABLE TRIGGER USER;
ALTER TABLE comments DISABLE TRIGGER USER;

-- 2. The counter triggers stamped users.updated_at with now(): back to the seed's clock.
UPDATE users SET updated_at = created_at WHERE updated_at IS DISTINCT FROM created_at;

-- 3. Tags (TEXT[]; for idx_posts_tags), one to a few per post, picked by a hash of its id.
UPDATE posts p
SET tags = (SELECT array_agg(t.tag ORDER BY t.n)
            FROM unnest(ARRAY['music', 'live', 'travel', 'food', 'gaming', 'art', 'tech', 'sports',
                              'fitness', 'comedy']) WITH ORDINALITY AS t(tag, n)
            WHERE (('x' || substr(md5(p.id::text || t.tag), 1, 7))::bit(28)::int % 6 = 0)
               OR t.n = 1 + ('x' || substr(md5(p.id::text), 1, 7))::bit(28)::int % 10)
WHERE p.tags IS NULL;

-- 4. The cached counters 003 gives no trigger (see checks.toml): comments on a post and
--    replies to a comment (not soft-deleted), likes and shares of a post (live + archived).
UPDATE posts p
SET comments_count = (SELECT count(*) FROM comments c WHERE c.post_id = p.id AND c.deleted_at IS NULL),
    likes_count = (SELECT count(*) FROM (SELECT post_id, engagement_type FROM user_engagement
                                         UNION ALL
                                         SELECT post_id, engagement_type FROM user_engagement_archive) e
                   WHERE e.post_id = p.id AND e.engagement_type = 'LIKE'),
    shares_count = (SELECT count(*) FROM (SELECT post_id, engagement_type FROM user_engagement
                                          UNION ALL
                                          SELECT post_id, engagement_type FROM user_engagement_archive) e
                    WHERE e.post_id = p.id AND e.engagement_type = 'SHARE');
UPDATE comments c
SET replies_count = (SELECT count(*) FROM comments r WHERE r.parent_id = c.id AND r.deleted_at IS NULL);

ALTER TABLE users ENABLE TRIGGER USER;
ALTER TABLE posts ENABLE TRIGGER USER;
ALTER TABLE comments ENABLE TRIGGER USER;

-- 5. Session addresses (INET), from a hash of the session id.
UPDATE user_sessions s
SET ip_address = ('10.' || h.a % 256 || '.' || h.b % 256 || '.' || 1 + h.a % 254)::inet
FROM (SELECT id, ('x' || substr(md5(id::text), 1, 7))::bit(28)::int AS a,
                 ('x' || substr(md5(id::text), 8, 7))::bit(28)::int AS b
      FROM user_sessions) h
WHERE h.id = s.id AND s.ip_address IS NULL;

-- 6. The cache (003's refresh command). It keeps the last 7 days of public posts, so with
--    the seed's clock in 2024 it is empty until newer posts arrive.
REFRESH MATERIALIZED VIEW popular_posts;
