-- 2006_indexes (down): drops the sixteen indexes of the up script.
DROP INDEX idx_media_created_at;
DROP INDEX idx_media_status;
DROP INDEX idx_media_user_id;
DROP INDEX idx_followers_unique;
DROP INDEX idx_followers_following_id;
DROP INDEX idx_followers_follower_id;
DROP INDEX idx_comments_created_at;
DROP INDEX idx_comments_parent_id;
DROP INDEX idx_comments_user_id;
DROP INDEX idx_comments_post_id;
DROP INDEX idx_posts_tags;
DROP INDEX idx_posts_featured;
DROP INDEX idx_posts_visibility;
DROP INDEX idx_posts_engagement;
DROP INDEX idx_posts_created_at;
DROP INDEX idx_posts_user_id;
