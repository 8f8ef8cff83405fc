-- 3006_indexes (down): drops the seventeen indexes of the up script.
DROP INDEX idx_content_filters_type;
DROP INDEX idx_content_filters_filtered_user_id;
DROP INDEX idx_content_filters_user_id;
DROP INDEX idx_follows_created_at;
DROP INDEX idx_follows_following_id;
DROP INDEX idx_follows_follower_id;
DROP INDEX idx_bookmarks_created_at;
DROP INDEX idx_bookmarks_post_id;
DROP INDEX idx_bookmarks_user_id;
DROP INDEX idx_reposts_type;
DROP INDEX idx_reposts_created_at;
DROP INDEX idx_reposts_post_id;
DROP INDEX idx_reposts_user_id;
DROP INDEX idx_reactions_created_at;
DROP INDEX idx_reactions_comment_id;
DROP INDEX idx_reactions_post_id;
DROP INDEX idx_reactions_user_id;
