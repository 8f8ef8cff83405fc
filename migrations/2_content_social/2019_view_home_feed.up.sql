-- 2019_view_home_feed: view home_feed, the home-feed query of 004 "Performance Considerations /
-- 1. Feed Generation Query Pattern" as a view keyed by the reader (follower_id): published,
-- not soft-deleted posts of the users the reader follows. Use:
--   SELECT * FROM home_feed WHERE follower_id = $1 ORDER BY created_at DESC LIMIT 20 OFFSET $2;
-- Decision (defect): the documented query selects u.display_name and up.avatar_url, neither of
--   which exists. display_name is read from user_profiles (up.display_name); there is no avatar
--   column anywhere in the schema, so avatar_url is left out.
-- Decision: user_profiles is LEFT JOINed (the document uses an inner join) so that a followed
--   user without a profile row does not vanish from the feed; display_name is then NULL.
-- The view name is ours: the documents give the query but no name.
CREATE VIEW home_feed AS
SELECT
    uf.follower_id,
    p.id, p.user_id, p.type, p.title, p.content, p.thumbnail_url,
    p.likes_count, p.comments_count, p.created_at,
    u.username, up.display_name
FROM user_follows uf
INNER JOIN posts p ON p.user_id = uf.following_id
INNER JOIN users u ON p.user_id = u.id
LEFT JOIN user_profiles up ON u.id = up.user_id
WHERE
    p.status = 'published'
    AND p.deleted_at IS NULL;

COMMENT ON VIEW home_feed IS 'Home feed: published posts of followed users, filter by follower_id (corrected 004 feed query)';
