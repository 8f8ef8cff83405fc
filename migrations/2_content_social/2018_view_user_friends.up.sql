-- 2018_view_user_friends: view user_friends, a user's friends in both directions. friendships
-- stores each pair once with user_id_1 < user_id_2 (004 §3); the view lists it from both
-- sides, which is the "first_degree" CTE of 004 "Performance / Social Graph Queries":
--   SELECT friend_id FROM user_friends WHERE user_id = $1
-- Columns: user_id, friend_id, created_at (when the friendship was created).
-- The view name is ours: the documents give the query but no name.
CREATE VIEW user_friends AS
SELECT f.user_id_1 AS user_id, f.user_id_2 AS friend_id, f.created_at
FROM friendships f
UNION ALL
SELECT f.user_id_2 AS user_id, f.user_id_1 AS friend_id, f.created_at
FROM friendships f;

COMMENT ON VIEW user_friends IS 'Each friendship seen from both users: one row per (user_id, friend_id)';
