-- 3006_indexes: the indexes 001 names on the social tables
-- (001 §6 reactions, §7 reposts, §8 follows, §9 bookmarks, §12 content_filters).
-- The partial unique indexes of reactions are created with their table (3001).
-- Note: idx_follows_follower_id duplicates the leading column of the primary key,
--   idx_reposts_user_id / idx_bookmarks_user_id / idx_content_filters_user_id the leading column
--   of a UNIQUE constraint. They are created because 001 names them.
CREATE INDEX idx_reactions_user_id ON reactions(user_id);
CREATE INDEX idx_reactions_post_id ON reactions(post_id);
CREATE INDEX idx_reactions_comment_id ON reactions(comment_id);
CREATE INDEX idx_reactions_created_at ON reactions(created_at);

CREATE INDEX idx_reposts_user_id ON reposts(user_id);
CREATE INDEX idx_reposts_post_id ON reposts(post_id);
CREATE INDEX idx_reposts_created_at ON reposts(created_at DESC);
CREATE INDEX idx_reposts_type ON reposts(type);

CREATE INDEX idx_bookmarks_user_id ON bookmarks(user_id);
CREATE INDEX idx_bookmarks_post_id ON bookmarks(post_id);
CREATE INDEX idx_bookmarks_created_at ON bookmarks(created_at DESC);

CREATE INDEX idx_follows_follower_id ON follows(follower_id);
CREATE INDEX idx_follows_following_id ON follows(following_id);
CREATE INDEX idx_follows_created_at ON follows(created_at DESC);

CREATE INDEX idx_content_filters_user_id ON content_filters(user_id);
CREATE INDEX idx_content_filters_filtered_user_id ON content_filters(filtered_user_id);
CREATE INDEX idx_content_filters_type ON content_filters(filter_type);
