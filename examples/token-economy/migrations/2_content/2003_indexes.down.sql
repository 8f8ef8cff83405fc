-- 2003_indexes (down): drops the eleven indexes of the up script.
DROP INDEX idx_comments_parent;
DROP INDEX idx_comments_account;
DROP INDEX idx_comments_page;
DROP INDEX idx_comments_post;
DROP INDEX idx_posts_queue;
DROP INDEX idx_posts_decay;
DROP INDEX idx_posts_tokens;
DROP INDEX idx_posts_hot_feed;
DROP INDEX idx_posts_created;
DROP INDEX idx_posts_account;
DROP INDEX idx_posts_page;
