-- 3002_create_user_engagement (down): drops the partitioned table user_engagement; its
-- partitions (user_engagement_default, user_engagement_2024_01, user_engagement_2024_02) are
-- dropped with it. (The partitions of 3003 are already gone: its down runs first.)
DROP TABLE user_engagement;
