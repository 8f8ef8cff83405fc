-- 3003_create_bookmarks: table bookmarks (001 §9 "bookmarks").
CREATE TABLE bookmarks (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id UUID NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT unique_user_post_bookmark UNIQUE (user_id, post_id)
);

COMMENT ON TABLE bookmarks IS 'User bookmarks for posts';
COMMENT ON COLUMN bookmarks.id IS 'Unique bookmark ID';
COMMENT ON COLUMN bookmarks.user_id IS 'User who bookmarked';
COMMENT ON COLUMN bookmarks.post_id IS 'Bookmarked post';
COMMENT ON COLUMN bookmarks.created_at IS 'Bookmark timestamp';
