-- 2006_indexes: the indexes 003 names on posts, comments, user_followers and media_files.
-- idx_followers_unique duplicates the inline UNIQUE of user_followers and idx_followers_follower_id
--   its leading column; created because 003 names them. Not CONCURRENTLY: migrations run in a
--   transaction.
CREATE INDEX idx_posts_user_id ON posts(user_id);
CREATE INDEX idx_posts_created_at ON posts(created_at DESC);
CREATE INDEX idx_posts_engagement ON posts(engagement_score DESC);
CREATE INDEX idx_posts_visibility ON posts(visibility);
CREATE INDEX idx_posts_featured ON posts(is_featured) WHERE is_featured = TRUE;
CREATE INDEX idx_posts_tags ON posts USING GIN(tags);

CREATE INDEX idx_comments_post_id ON comments(post_id);
CREATE INDEX idx_comments_user_id ON comments(user_id);
CREATE INDEX idx_comments_parent_id ON comments(parent_id);
CREATE INDEX idx_comments_created_at ON comments(created_at DESC);

CREATE INDEX idx_followers_follower_id ON user_followers(follower_id);
CREATE INDEX idx_followers_following_id ON user_followers(following_id);
CREATE UNIQUE INDEX idx_followers_unique ON user_followers(follower_id, following_id);

CREATE INDEX idx_media_user_id ON media_files(user_id);
CREATE INDEX idx_media_status ON media_files(processing_status);
CREATE INDEX idx_media_created_at ON media_files(created_at DESC);
