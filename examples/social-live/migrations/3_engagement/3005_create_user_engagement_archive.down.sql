-- 3005_create_user_engagement_archive (down): drops table user_engagement_archive.
DROP TABLE user_engagement_archive;
