-- 2008_create_comments: table comments, comments on posts with nested replies through
-- parent_comment_id (004 §3 "comments"). replies_count is kept by
-- trigger_update_comment_replies_count (2013_triggers_engagement_counters).
-- Note: comments.likes_count is declared by 004 but no table records likes of a comment
--   (post_interactions references posts only), so nothing can maintain it; it stays at its
--   default 0 unless the application writes it.
CREATE TABLE comments (
    id                  BIGSERIAL PRIMARY KEY,
    post_id             BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    parent_comment_id   BIGINT REFERENCES comments(id) ON DELETE CASCADE,

    content             TEXT NOT NULL,
    content_html        TEXT,

    likes_count         INTEGER NOT NULL DEFAULT 0,
    replies_count       INTEGER NOT NULL DEFAULT 0,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at          TIMESTAMPTZ,

    CONSTRAINT comments_content_not_empty CHECK (LENGTH(TRIM(content)) > 0)
);

COMMENT ON TABLE comments IS 'Comments on posts with support for nested replies';
COMMENT ON COLUMN comments.parent_comment_id IS 'NULL for top-level comments, references parent for replies';
