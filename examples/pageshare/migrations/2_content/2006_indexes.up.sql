-- 2006_indexes: the indexes 001 names on the content tables
-- (001 §2 posts, §3 comments, §5 post_tickers, §10 polls, §11 poll_votes).
-- Note: idx_post_tickers_post_id duplicates the leading column of the primary key; it is
--   created because 001 names it. Not CONCURRENTLY: migrations run in a transaction.
CREATE INDEX idx_posts_user_id ON posts(user_id);
CREATE INDEX idx_posts_created_at ON posts(created_at DESC);
CREATE INDEX idx_posts_original_post_id ON posts(original_post_id);
CREATE INDEX idx_posts_deleted_at ON posts(deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX idx_posts_user_created ON posts(user_id, created_at DESC) WHERE deleted_at IS NULL;

CREATE INDEX idx_comments_post_id ON comments(post_id);
CREATE INDEX idx_comments_user_id ON comments(user_id);
CREATE INDEX idx_comments_parent_id ON comments(parent_comment_id);
CREATE INDEX idx_comments_created_at ON comments(created_at DESC);
CREATE INDEX idx_comments_post_created ON comments(post_id, created_at DESC) WHERE deleted_at IS NULL;

CREATE INDEX idx_post_tickers_post_id ON post_tickers(post_id);
CREATE INDEX idx_post_tickers_ticker_id ON post_tickers(ticker_id);
CREATE INDEX idx_post_tickers_created_at ON post_tickers(created_at DESC);

CREATE INDEX idx_polls_post_id ON polls(post_id);
CREATE INDEX idx_polls_comment_id ON polls(comment_id);
CREATE INDEX idx_polls_created_at ON polls(created_at);

CREATE INDEX idx_poll_votes_poll_id ON poll_votes(poll_id);
CREATE INDEX idx_poll_votes_user_id ON poll_votes(user_id);
CREATE INDEX idx_poll_votes_created_at ON poll_votes(created_at);
