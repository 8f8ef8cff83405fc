-- 2003_indexes: the indexes 000 names on posts and comments (hot feed, token leaderboard, decay
-- job, queue management). Not CONCURRENTLY: migrations run in a transaction.
CREATE INDEX idx_posts_page ON posts(page_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX idx_posts_account ON posts(account_id, created_at DESC);
CREATE INDEX idx_posts_created ON posts(created_at DESC) WHERE deleted_at IS NULL;
-- Hot Feed: Queue 0-1, sorted by visibility score then time
CREATE INDEX idx_posts_hot_feed ON posts(queue_level, visibility_score DESC, created_at DESC)
    WHERE deleted_at IS NULL AND queue_level IN (0, 1);
-- Token leaderboard
CREATE INDEX idx_posts_tokens ON posts(total_tokens_received DESC) WHERE deleted_at IS NULL;
-- Decay job
CREATE INDEX idx_posts_decay ON posts(last_decay_applied_at, total_tokens_received)
    WHERE deleted_at IS NULL AND total_tokens_received > 0;
-- Queue management
CREATE INDEX idx_posts_queue ON posts(queue_level, queue_entered_at) WHERE deleted_at IS NULL;

CREATE INDEX idx_comments_post ON comments(post_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX idx_comments_page ON comments(page_id, created_at DESC);
CREATE INDEX idx_comments_account ON comments(account_id, created_at DESC);
CREATE INDEX idx_comments_parent ON comments(parent_comment_id) WHERE parent_comment_id IS NOT NULL;
