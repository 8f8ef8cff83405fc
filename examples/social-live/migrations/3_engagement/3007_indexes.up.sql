-- 3007_indexes: the indexes 003 names on user_engagement and feed_items, and three indexes on
-- user_engagement_archive.
-- The user_engagement indexes are created on the partitioned parent, so PostgreSQL creates a
--   matching index on every partition (default, 2024 and window partitions) and on every
--   partition created later by create_user_engagement_partitions().
-- Decision: 003 names no index for user_engagement_archive (it creates no such table). Added:
--   idx_engagement_archive_user_id and idx_engagement_archive_post_id (its foreign keys cascade
--   from users/posts deletes, which would otherwise scan the archive) and
--   idx_engagement_archive_created_at (retention queries by age), named after 003's
--   idx_engagement_* pattern. Not CONCURRENTLY: migrations run in a transaction.
CREATE INDEX idx_engagement_user_id ON user_engagement(user_id);
CREATE INDEX idx_engagement_post_id ON user_engagement(post_id);
CREATE INDEX idx_engagement_type ON user_engagement(engagement_type);
CREATE INDEX idx_engagement_created_at ON user_engagement(created_at);
CREATE INDEX idx_engagement_metadata ON user_engagement USING GIN(metadata);

CREATE INDEX idx_engagement_archive_user_id ON user_engagement_archive(user_id);
CREATE INDEX idx_engagement_archive_post_id ON user_engagement_archive(post_id);
CREATE INDEX idx_engagement_archive_created_at ON user_engagement_archive(created_at);

CREATE INDEX idx_feed_user_score ON feed_items(user_id, score DESC);
CREATE INDEX idx_feed_created_at ON feed_items(created_at DESC);
CREATE INDEX idx_feed_expires_at ON feed_items(expires_at);
