-- Development data, last step: what the generators cannot express, made deterministically
-- from the generated rows (ids derived with md5, times from the rows they belong to, so a
-- given --rng-seed always gives the same data), then the materialized views refreshed.

-- 1. A quote repost also creates the quoting post (001 §7): repost_type 'quote',
--    original_post_id = the reposted post, the quote as its content.
INSERT INTO posts (id, user_id, content, original_post_id, repost_type, created_at, updated_at)
SELECT md5('pageshare:quote-post:' || r.id)::uuid, r.user_id, r.quote_content, r.post_id, 'quote',
       r.created_at, r.created_at
FROM reposts r
WHERE r.type = 'quote'
  AND NOT EXISTS (SELECT 1 FROM posts q
                  WHERE q.user_id = r.user_id AND q.original_post_id = r.post_id
                    AND q.repost_type = 'quote');

-- 2. A block ends the blocked user's follow of the blocker (001 §12: a full block).
DELETE FROM follows f
USING content_filters cf
WHERE cf.user_id = f.following_id
  AND cf.filtered_user_id = f.follower_id
  AND cf.filter_type = 'block';

-- 3. Polls (options are TEXT[]): on every 8th live original post and every 15th comment,
--    2-4 options, open 1-7 days from their post's or comment's creation.
INSERT INTO polls (id, post_id, comment_id, options, duration_days, created_at)
SELECT md5('pageshare:poll:' || t.id)::uuid,
       CASE WHEN t.kind = 'post' THEN t.id END,
       CASE WHEN t.kind = 'comment' THEN t.id END,
       CASE t.n % 4
           WHEN 0 THEN ARRAY['Bullish', 'Bearish']
           WHEN 1 THEN ARRAY['Buy', 'Hold', 'Sell']
           WHEN 2 THEN ARRAY['Up 10%+', 'Up a little', 'Down a little', 'Down 10%+']
           ELSE ARRAY['Yes', 'No', 'Not sure']
       END,
       1 + t.n % 7,
       t.created_at
FROM (
    SELECT 'post' AS kind, id, created_at, row_number() OVER (ORDER BY id) AS n
    FROM posts WHERE deleted_at IS NULL AND repost_type IS NULL
    UNION ALL
    SELECT 'comment', id, created_at, row_number() OVER (ORDER BY id)
    FROM comments WHERE deleted_at IS NULL
) t
WHERE (t.kind = 'post' AND t.n % 8 = 1) OR (t.kind = 'comment' AND t.n % 15 = 2);

-- 4. Votes: about a third of the active users vote on each poll, one vote each
--    (unique_user_poll_vote), for an existing option, while the poll is open.
INSERT INTO poll_votes (id, poll_id, user_id, option_index, created_at)
SELECT md5('pageshare:vote:' || p.id || ':' || u.id)::uuid, p.id, u.id,
       h.a % array_length(p.options, 1),
       least(p.created_at + (h.b % (p.duration_days * 1440)) * interval '1 minute',
             timestamptz '2026-01-01T00:00:00Z')
FROM polls p
CROSS JOIN users u
CROSS JOIN LATERAL (
    SELECT ('x' || substr(md5(p.id::text || u.id::text), 1, 7))::bit(28)::int AS a,
           ('x' || substr(md5(u.id::text || p.id::text), 1, 7))::bit(28)::int AS b
) h
WHERE u.deleted_at IS NULL AND h.a % 3 = 0;

-- 5. The caches, so that they hold the seeded data (001's refresh commands).
REFRESH MATERIALIZED VIEW trending_tickers;
REFRESH MATERIALIZED VIEW daily_metrics;
REFRESH MATERIALIZED VIEW engagement_metrics;
