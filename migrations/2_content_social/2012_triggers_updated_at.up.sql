-- 2012_triggers_updated_at: BEFORE UPDATE updated_at triggers on the content tables that have
-- updated_at: update_posts_updated_at, update_comments_updated_at (004 appendix "TRIGGERS").
-- Decision: 002's "Trigger Implementation Checklist" lists no updated_at trigger for phase 2,
--   but the 004 appendix creates these two and 002 "Category 1" says "apply to all tables with
--   updated_at": they are created here, in the phase that creates the tables.
-- Uses update_updated_at_column() from 1_foundation/1012_triggers_updated_at.
-- Note: as a consequence (also true of the documents' combined DDL), counter updates made by
--   the engagement triggers move posts.updated_at / comments.updated_at too.
CREATE TRIGGER update_posts_updated_at
    BEFORE UPDATE ON posts
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER update_comments_updated_at
    BEFORE UPDATE ON comments
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();
