-- 2003_create_post_media: table post_media, media files of a post with their sizes for the
-- storage quota (004 §2 "post_media"). Deleted with its post or its user.
CREATE TABLE post_media (
    id                  BIGSERIAL PRIMARY KEY,
    post_id             BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    type                media_type NOT NULL,
    file_url            VARCHAR(500) NOT NULL,
    file_size_bytes     BIGINT NOT NULL,
    mime_type           VARCHAR(100) NOT NULL,

    width               INTEGER,
    height              INTEGER,
    duration_seconds    INTEGER,  -- For video/audio

    thumbnail_url       VARCHAR(500),

    display_order       INTEGER NOT NULL DEFAULT 0,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT post_media_file_size_positive CHECK (file_size_bytes > 0)
);

COMMENT ON TABLE post_media IS 'Detailed media file tracking for storage quota management';
COMMENT ON COLUMN post_media.file_size_bytes IS 'File size in bytes for storage quota calculation';
