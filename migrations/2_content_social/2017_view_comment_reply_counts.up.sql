-- 2017_view_comment_reply_counts: view comment_reply_counts, one row per comment with its
-- replies recounted from comments (rows whose parent_comment_id is the comment, soft-deleted
-- replies included, as trigger_update_comment_replies_count counts them), to compare with the
-- denormalised comments.replies_count.
-- Columns: comment_id, replies_count (INTEGER, like the counter). The view name is ours.
CREATE VIEW comment_reply_counts AS
SELECT
    c.id AS comment_id,
    (SELECT COUNT(*) FROM comments r
      WHERE r.parent_comment_id = c.id)::INTEGER AS replies_count
FROM comments c;

COMMENT ON VIEW comment_reply_counts IS 'Per-comment replies recounted from the base table, to check comments.replies_count';
