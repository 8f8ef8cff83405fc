-- 3006_create_feed_items: table feed_items (003 "Engagement & Analytics / Feed Items Table").
CREATE TABLE feed_items (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id UUID NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    score DECIMAL(10,4) NOT NULL,
    reason VARCHAR(50),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    expires_at TIMESTAMP,
    UNIQUE(user_id, post_id)
);

COMMENT ON TABLE feed_items IS 'Precomputed feed entries: post_id scored for user_id';
