-- 2006_view_hot_feed: view v_hot_feed (000 "VIEWS FOR COMMON QUERIES / Hot Feed View"), as
-- written: live posts in queues 0-1 with their page, best visibility_score first.
-- Note: the ORDER BY in a view orders only a plain SELECT * FROM v_hot_feed; queries that join or
--   filter it should ORDER BY themselves.
CREATE VIEW v_hot_feed AS
SELECT
    p.post_id,
    p.content,
    p.total_tokens_received,
    p.unique_spenders_count,
    p.comments_count,
    p.visibility_score,
    p.queue_level,
    p.created_at,
    pg.page_id,
    pg.username,
    pg.display_name,
    pg.avatar_url
FROM posts p
JOIN pages pg ON p.page_id = pg.page_id
WHERE p.deleted_at IS NULL
AND p.queue_level IN (0, 1)
ORDER BY p.visibility_score DESC, p.created_at DESC;

COMMENT ON VIEW v_hot_feed IS 'Hot feed: live posts in queue levels 0-1, by visibility score then time';
