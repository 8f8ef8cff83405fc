-- 2018_view_user_friends (down): drops view user_friends.
DROP VIEW IF EXISTS user_friends;
