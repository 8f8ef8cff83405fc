-- 2001_create_posts: table posts with its constraints and comments (001 §2 "posts").
-- original_post_id references posts itself (quote reposts), ON DELETE SET NULL as documented.
CREATE TABLE posts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    media_urls TEXT[],
    gif_url TEXT,
    original_post_id UUID REFERENCES posts(id) ON DELETE SET NULL,
    repost_type VARCHAR(10) CHECK (repost_type IN ('normal', 'quote')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at TIMESTAMPTZ,

    CONSTRAINT content_not_empty CHECK (LENGTH(TRIM(content)) > 0 OR media_urls IS NOT NULL OR gif_url IS NOT NULL),
    CONSTRAINT max_content_length CHECK (LENGTH(content) <= 10000)
);

COMMENT ON TABLE posts IS 'Posts/tweets: main content posts from users';
COMMENT ON COLUMN posts.id IS 'Unique post ID';
COMMENT ON COLUMN posts.user_id IS 'Post author';
COMMENT ON COLUMN posts.content IS 'Post text content (max 10,000 chars)';
COMMENT ON COLUMN posts.media_urls IS 'Array of image URLs';
COMMENT ON COLUMN posts.gif_url IS 'GIF URL (from Giphy)';
COMMENT ON COLUMN posts.original_post_id IS 'Reference to original post (for quote reposts)';
COMMENT ON COLUMN posts.repost_type IS 'Type of repost: normal (simple repost) or quote (repost with comment); NULL = original post';
COMMENT ON COLUMN posts.created_at IS 'Post creation timestamp';
COMMENT ON COLUMN posts.updated_at IS 'Last update timestamp';
COMMENT ON COLUMN posts.deleted_at IS 'Soft delete timestamp';
