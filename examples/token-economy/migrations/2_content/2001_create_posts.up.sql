-- 2001_create_posts: table posts (000 "Posts: Content created by pages"), as written.
-- Notes: comments_count is maintained by maintain_comment_count (2005); deleted_by REFERENCES
--   accounts(account_id) with no ON DELETE action (NO ACTION), as written.
CREATE TABLE posts (
    post_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    page_id UUID NOT NULL REFERENCES pages(page_id) ON DELETE CASCADE,
    account_id UUID NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    -- Content
    content TEXT NOT NULL,
    content_hash VARCHAR(64),
    -- Token Metrics
    total_tokens_received DECIMAL(12, 2) NOT NULL DEFAULT 0,
    unique_spenders_count INT NOT NULL DEFAULT 0,
    peak_token_percentage DECIMAL(8, 6) NOT NULL DEFAULT 0,
    -- MLFQ (Multi-Level Feedback Queue)
    queue_level INT NOT NULL DEFAULT 0 CHECK (queue_level BETWEEN 0 AND 3),
    queue_entered_at TIMESTAMP NOT NULL DEFAULT NOW(),
    last_queue_promotion_at TIMESTAMP,
    last_queue_demotion_at TIMESTAMP,
    -- Decay System
    decay_rate DECIMAL(5, 4) NOT NULL DEFAULT 0.02,
    last_decay_applied_at TIMESTAMP NOT NULL DEFAULT NOW(),
    last_token_received_at TIMESTAMP,
    tokens_lost_to_decay DECIMAL(12, 2) NOT NULL DEFAULT 0,
    -- Boost System (simplified in MVP)
    last_boosted_at TIMESTAMP,
    boost_count INT NOT NULL DEFAULT 0,
    -- Ranking Signals
    visibility_score DECIMAL(12, 4) NOT NULL DEFAULT 0,
    engagement_velocity DECIMAL(12, 4) NOT NULL DEFAULT 0,
    -- Engagement Stats
    comments_count INT NOT NULL DEFAULT 0,
    views_count BIGINT NOT NULL DEFAULT 0,
    -- Lifecycle
    is_edited BOOLEAN NOT NULL DEFAULT FALSE,
    edited_at TIMESTAMP,
    deleted_at TIMESTAMP,
    deleted_by UUID REFERENCES accounts(account_id),
    -- Metadata
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT chk_content_length CHECK (LENGTH(content) BETWEEN 1 AND 2000)
);

COMMENT ON TABLE posts IS 'Content created by pages';
COMMENT ON COLUMN posts.content_hash IS 'For duplicate detection';
COMMENT ON COLUMN posts.peak_token_percentage IS 'For boost eligibility';
COMMENT ON COLUMN posts.queue_level IS 'MLFQ (Multi-Level Feedback Queue) level 0-3';
COMMENT ON COLUMN posts.decay_rate IS '2% weekly in MVP';
COMMENT ON COLUMN posts.engagement_velocity IS 'Tokens per hour';
