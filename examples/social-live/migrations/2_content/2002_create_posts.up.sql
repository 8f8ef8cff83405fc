-- 2002_create_posts: table posts (003 "Core Tables / Posts Table"), as written.
-- Note: likes_count, comments_count and shares_count are cached counters that no trigger of 003
--   maintains (only users.posts_count and the follower counts have triggers); the application
--   maintains them and INVARIANTS.md checks them against user_engagement / comments (warnings).
CREATE TABLE posts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    media_url VARCHAR(500),
    media_type media_type_enum,
    visibility visibility_enum DEFAULT 'PUBLIC',
    likes_count INTEGER DEFAULT 0,
    comments_count INTEGER DEFAULT 0,
    shares_count INTEGER DEFAULT 0,
    engagement_score DECIMAL(10,2) DEFAULT 0,
    is_featured BOOLEAN DEFAULT FALSE,
    tags TEXT[],
    location VARCHAR(100),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP
);

COMMENT ON TABLE posts IS 'User posts';
COMMENT ON COLUMN posts.id IS 'Unique post identifier';
COMMENT ON COLUMN posts.user_id IS 'Reference to post author';
COMMENT ON COLUMN posts.content IS 'Post text content';
COMMENT ON COLUMN posts.media_url IS 'URL to attached media';
COMMENT ON COLUMN posts.media_type IS 'IMAGE, VIDEO, AUDIO (or DOCUMENT)';
COMMENT ON COLUMN posts.visibility IS 'PUBLIC, PRIVATE, FOLLOWERS_ONLY (or UNLISTED)';
COMMENT ON COLUMN posts.engagement_score IS 'ML-calculated engagement score';
