-- 2004_create_pending_uploads: table pending_uploads (004 §2 "pending_uploads" only; absent
-- from the 004 appendix and 002 - the fuller definition wins). Put in the content phase
-- next to post_media, whose rows it precedes in the upload flow.
-- Decision: as 004 writes it, user_id has NO foreign key (rows are short-lived, removed by
--   an hourly cleanup job) and id defaults to the built-in gen_random_uuid() (PostgreSQL 13+),
--   not uuid-ossp's uuid_generate_v4(). Both kept as documented.
-- Its index idx_pending_uploads_user_expires is in 2010_indexes.
CREATE TABLE pending_uploads (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             BIGINT NOT NULL,
    s3_key              VARCHAR(500) NOT NULL,
    filename            VARCHAR(255) NOT NULL,
    content_type        VARCHAR(100) NOT NULL,
    size                BIGINT NOT NULL,
    expires_at          TIMESTAMPTZ(6) NOT NULL,
    created_at          TIMESTAMPTZ(6) NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE pending_uploads IS 'Temporary uploads awaiting post creation';
COMMENT ON COLUMN pending_uploads.s3_key IS 'S3 object key (users/{userId}/posts/{id}_{filename})';
COMMENT ON COLUMN pending_uploads.expires_at IS '24-hour expiry for orphaned uploads';
