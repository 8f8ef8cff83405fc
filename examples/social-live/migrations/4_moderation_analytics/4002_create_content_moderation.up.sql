-- 4002_create_content_moderation: table content_moderation (003 "Content Management / Content
-- Moderation"), as written.
-- Note: content_id points at a post, comment, user or media file depending on content_type, so it
--   can have no foreign key; INVARIANTS.md checks that the content exists (warning).
--   moderator_id REFERENCES users(id) with no ON DELETE action (NO ACTION), as written.
CREATE TABLE content_moderation (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    content_type content_type_enum NOT NULL,
    content_id UUID NOT NULL,
    moderator_id UUID REFERENCES users(id),
    status moderation_status_enum DEFAULT 'PENDING',
    reason TEXT,
    automated_score DECIMAL(3,2),
    reviewed_at TIMESTAMP,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

COMMENT ON TABLE content_moderation IS 'Moderation decisions on posts, comments, user profiles and media (content_type + content_id)';
