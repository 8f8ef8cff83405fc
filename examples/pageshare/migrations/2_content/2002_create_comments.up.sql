-- 2002_create_comments: table comments with its constraints and comments (001 §3 "comments").
-- Note: the CHECK names content_not_empty and max_content_length are the same as on posts;
--   CHECK names only need to be unique per table, so 001's names are kept on both tables.
CREATE TABLE comments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    post_id UUID NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    parent_comment_id UUID REFERENCES comments(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    media_urls TEXT[],
    gif_url TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at TIMESTAMPTZ,

    CONSTRAINT content_not_empty CHECK (LENGTH(TRIM(content)) > 0 OR media_urls IS NOT NULL OR gif_url IS NOT NULL),
    CONSTRAINT max_content_length CHECK (LENGTH(content) <= 10000)
);

COMMENT ON TABLE comments IS 'Comments/replies to posts';
COMMENT ON COLUMN comments.id IS 'Unique comment ID';
COMMENT ON COLUMN comments.post_id IS 'Post being commented on';
COMMENT ON COLUMN comments.user_id IS 'Comment author';
COMMENT ON COLUMN comments.parent_comment_id IS 'Parent comment (for nested replies, future feature)';
COMMENT ON COLUMN comments.content IS 'Comment text content';
COMMENT ON COLUMN comments.media_urls IS 'Array of image URLs';
COMMENT ON COLUMN comments.gif_url IS 'GIF URL (from Giphy)';
COMMENT ON COLUMN comments.created_at IS 'Comment creation timestamp';
COMMENT ON COLUMN comments.updated_at IS 'Last update timestamp';
COMMENT ON COLUMN comments.deleted_at IS 'Soft delete timestamp';
