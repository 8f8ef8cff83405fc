-- 2002_create_posts: table posts (004 §2 "posts").
-- Decision (defect): 004's table section gives posts the CHECK constraints
--   posts_content_required and posts_published_at_check and the column visibility, which the
--   004 appendix and 002 Phase 2 drop. The fuller definition (004 §2) is used: all three kept.
-- Decision (defect): visibility uses type profile_visibility, which no document creates; it is
--   created in 1_foundation/1002_create_enums with labels public, followers, private.
-- Note: posts_published_at_check means a post with status 'published' (the default) needs
--   published_at; 002's own test inserts always set it.
CREATE TABLE posts (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    type                post_type NOT NULL,
    status              post_status NOT NULL DEFAULT 'published',
    -- 'public': everyone; 'followers': followers only; 'private': the author only
    visibility          profile_visibility NOT NULL DEFAULT 'public',

    title               VARCHAR(200),
    content             TEXT,
    content_html        TEXT,  -- Sanitized HTML version for rich text

    media_urls          JSONB,  -- Array of media URLs for galleries/albums
    thumbnail_url       VARCHAR(500),

    -- Engagement counters (denormalized, kept by 2013_triggers_engagement_counters)
    likes_count         INTEGER NOT NULL DEFAULT 0,
    comments_count      INTEGER NOT NULL DEFAULT 0,
    reposts_count       INTEGER NOT NULL DEFAULT 0,
    views_count         INTEGER NOT NULL DEFAULT 0,

    published_at        TIMESTAMPTZ,
    scheduled_for       TIMESTAMPTZ,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at          TIMESTAMPTZ,

    CONSTRAINT posts_title_length CHECK (title IS NULL OR LENGTH(title) <= 200),
    CONSTRAINT posts_content_required CHECK (
        (type IN ('text_short', 'text_long') AND content IS NOT NULL) OR
        (type NOT IN ('text_short', 'text_long'))
    ),
    CONSTRAINT posts_published_at_check CHECK (
        (status = 'published' AND published_at IS NOT NULL) OR
        (status != 'published')
    )
);

COMMENT ON TABLE posts IS 'All user-created posts and content';
COMMENT ON COLUMN posts.type IS 'Type of post: text, image, video, song, album, etc.';
COMMENT ON COLUMN posts.media_urls IS 'JSONB array of media file URLs (S3 paths)';
COMMENT ON COLUMN posts.likes_count IS 'Denormalized counter for performance';
