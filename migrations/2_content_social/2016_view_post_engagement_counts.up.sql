-- 2016_view_post_engagement_counts: view post_engagement_counts, one row per post with the
-- engagement counts recounted from the base tables - the reconciliation counts of 002
-- "Category 2 / nightly reconciliation", extended to comments and reposts - so they can be
-- compared with the denormalised posts.likes_count / comments_count / reposts_count.
-- Columns: post_id, likes_count, comments_count, reposts_count (INTEGER, like the counters).
-- Counting rules are those of the triggers in 2013_triggers_engagement_counters: likes are
-- post_interactions of type 'like'; comments count every comments row of the post (replies and
-- soft-deleted rows included); reposts count every reposts row.
-- The view name is ours: the documents give the query but no name.
CREATE VIEW post_engagement_counts AS
SELECT
    p.id AS post_id,
    (SELECT COUNT(*) FROM post_interactions pi
      WHERE pi.post_id = p.id AND pi.type = 'like')::INTEGER AS likes_count,
    (SELECT COUNT(*) FROM comments c
      WHERE c.post_id = p.id)::INTEGER AS comments_count,
    (SELECT COUNT(*) FROM reposts r
      WHERE r.post_id = p.id)::INTEGER AS reposts_count
FROM posts p;

COMMENT ON VIEW post_engagement_counts IS 'Per-post likes, comments and reposts recounted from the base tables, to check the denormalized counters on posts';
