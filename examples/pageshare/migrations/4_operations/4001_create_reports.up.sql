-- 4001_create_reports: table reports (001 §13 "reports").
-- Decision (001 §13 contradicts itself): reported_post_id, reported_comment_id and
--   reported_user_id are ON DELETE SET NULL, but 001's report_target CHECK requires exactly one
--   of them to be non-NULL. Hard-deleting any reported post, comment or user (including the
--   cascade from auth.users and the "hard delete after retention period" of 001 "Data Retention")
--   would set the only target to NULL and fail on report_target, so the SET NULL actions could
--   never work. report_target keeps its name and 001's three "exactly one target" cases, plus a
--   fourth: all three NULL (the target has since been deleted; the report is kept for moderation
--   history, which is what SET NULL asks for). INVARIANTS.md lists such reports
--   (report_target_deleted, a warning).
-- Note: reviewed_by REFERENCES users(id) with no ON DELETE action, as written (NO ACTION): a user
--   who reviewed reports cannot be hard-deleted until reviewed_by is cleared.
CREATE TABLE reports (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    reporter_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reported_post_id UUID REFERENCES posts(id) ON DELETE SET NULL,
    reported_comment_id UUID REFERENCES comments(id) ON DELETE SET NULL,
    reported_user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    report_type VARCHAR(50) NOT NULL,
    reason TEXT,
    status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'reviewed', 'resolved', 'dismissed')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    reviewed_at TIMESTAMPTZ,
    reviewed_by UUID REFERENCES users(id),

    CONSTRAINT report_target CHECK (
        (reported_post_id IS NOT NULL AND reported_comment_id IS NULL AND reported_user_id IS NULL) OR
        (reported_post_id IS NULL AND reported_comment_id IS NOT NULL AND reported_user_id IS NULL) OR
        (reported_post_id IS NULL AND reported_comment_id IS NULL AND reported_user_id IS NOT NULL) OR
        (reported_post_id IS NULL AND reported_comment_id IS NULL AND reported_user_id IS NULL)
    )
);

COMMENT ON TABLE reports IS 'User reports for content moderation';
COMMENT ON COLUMN reports.id IS 'Unique report ID';
COMMENT ON COLUMN reports.reporter_id IS 'User making the report';
COMMENT ON COLUMN reports.reported_post_id IS 'Reported post (mutually exclusive)';
COMMENT ON COLUMN reports.reported_comment_id IS 'Reported comment (mutually exclusive)';
COMMENT ON COLUMN reports.reported_user_id IS 'Reported user (mutually exclusive)';
COMMENT ON COLUMN reports.report_type IS 'Type of report (spam, harassment, inappropriate, ...)';
COMMENT ON COLUMN reports.reason IS 'Optional reason for report';
COMMENT ON COLUMN reports.status IS 'Report status (pending, reviewed, resolved, dismissed)';
COMMENT ON COLUMN reports.created_at IS 'Report creation timestamp';
COMMENT ON COLUMN reports.reviewed_at IS 'When report was reviewed';
COMMENT ON COLUMN reports.reviewed_by IS 'Admin who reviewed (future)';
