-- 3002_create_reposts: table reposts (001 §7 "reposts").
-- Note (001 §7): a quote repost also creates a posts row with repost_type = 'quote' and
--   original_post_id = the reposted post; the schema cannot tie the two rows together, so
--   INVARIANTS.md checks it (quote_repost_has_post).
CREATE TABLE reposts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id UUID NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    type VARCHAR(10) NOT NULL CHECK (type IN ('normal', 'quote')),
    quote_content TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT unique_user_post_repost UNIQUE (user_id, post_id)
);

COMMENT ON TABLE reposts IS 'Reposts (both normal and quote reposts)';
COMMENT ON COLUMN reposts.id IS 'Unique repost ID';
COMMENT ON COLUMN reposts.user_id IS 'User who reposted';
COMMENT ON COLUMN reposts.post_id IS 'Original post being reposted';
COMMENT ON COLUMN reposts.type IS 'Repost type: normal (simple) or quote (with comment)';
COMMENT ON COLUMN reposts.quote_content IS 'Additional content for quote reposts';
COMMENT ON COLUMN reposts.created_at IS 'Repost timestamp';
