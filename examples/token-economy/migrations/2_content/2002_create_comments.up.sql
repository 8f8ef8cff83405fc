-- 2002_create_comments: table comments (000 "Comments: Responses to posts"), as written.
CREATE TABLE comments (
    comment_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    post_id UUID NOT NULL REFERENCES posts(post_id) ON DELETE CASCADE,
    page_id UUID NOT NULL REFERENCES pages(page_id) ON DELETE CASCADE,
    account_id UUID NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    -- Content
    content TEXT NOT NULL,
    -- Token Metrics
    total_tokens_received DECIMAL(12, 2) NOT NULL DEFAULT 0,
    unique_spenders_count INT NOT NULL DEFAULT 0,
    -- Threading (MVP: flat, but schema ready)
    parent_comment_id UUID REFERENCES comments(comment_id) ON DELETE CASCADE,
    thread_depth INT NOT NULL DEFAULT 0 CHECK (thread_depth >= 0),
    -- Cost tracking
    was_free BOOLEAN NOT NULL DEFAULT TRUE,
    token_cost DECIMAL(4, 2) NOT NULL DEFAULT 0,
    -- Lifecycle
    deleted_at TIMESTAMP,
    -- Metadata
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT chk_comment_length CHECK (LENGTH(content) BETWEEN 1 AND 1000)
);

COMMENT ON TABLE comments IS 'Responses to posts (threading: MVP flat, but schema ready)';
COMMENT ON COLUMN comments.was_free IS 'First 2 daily comments';
