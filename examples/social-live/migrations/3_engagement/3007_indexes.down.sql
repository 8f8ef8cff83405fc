-- 3007_indexes (down): drops the eleven indexes of the up script (the partitions' indexes go
-- with their parent index).
DROP INDEX idx_feed_expires_at;
DROP INDEX idx_feed_created_at;
DROP INDEX idx_feed_user_score;
DROP INDEX idx_engagement_archive_created_at;
DROP INDEX idx_engagement_archive_post_id;
DROP INDEX idx_engagement_archive_user_id;
DROP INDEX idx_engagement_metadata;
DROP INDEX idx_engagement_created_at;
DROP INDEX idx_engagement_type;
DROP INDEX idx_engagement_post_id;
DROP INDEX idx_engagement_user_id;
