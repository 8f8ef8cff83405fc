-- 3007_view_post_stats: view post_stats (001 "Views & Materialized Views / View: post_stats"),
-- exactly as 001 writes it. It needs posts, reactions, comments, reposts and bookmarks, so it is
-- created after all of them (001 lists it after every table).
-- Note: counts are COUNT(DISTINCT ...) over a 4-way LEFT JOIN fan-out, so they are right but the
--   view is costly on popular posts; kept as written. Soft-deleted posts are excluded,
--   soft-deleted comments are not counted; reactions on comments are not counted.
CREATE VIEW post_stats AS
SELECT
    p.id AS post_id,
    COUNT(DISTINCT r.id) AS reaction_count,
    COUNT(DISTINCT c.id) AS comment_count,
    COUNT(DISTINCT rp.id) AS repost_count,
    COUNT(DISTINCT b.id) AS bookmark_count
FROM posts p
LEFT JOIN reactions r ON r.post_id = p.id
LEFT JOIN comments c ON c.post_id = p.id AND c.deleted_at IS NULL
LEFT JOIN reposts rp ON rp.post_id = p.id
LEFT JOIN bookmarks b ON b.post_id = p.id
WHERE p.deleted_at IS NULL
GROUP BY p.id;

COMMENT ON VIEW post_stats IS 'Aggregated statistics for posts';
