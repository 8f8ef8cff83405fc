-- 3010_triggers_updated_at: BEFORE UPDATE updated_at triggers on the features tables that have
-- updated_at:
--   update_profile_sections_updated_at, update_custom_feeds_updated_at: 004 appendix "TRIGGERS".
--   update_section_content_updated_at, update_user_lists_updated_at: not written out; named
--     after the documents' update_<table>_updated_at pattern.
-- Decision: 002's checklist says "Phase 3 Triggers: None", but the 004 appendix creates two of
--   these and 002 "Category 1" applies the trigger "to all tables with updated_at"; the
--   triggers are created, in the phase that creates the tables.
-- Uses update_updated_at_column() from 1_foundation/1012_triggers_updated_at.
CREATE TRIGGER update_profile_sections_updated_at
    BEFORE UPDATE ON profile_sections
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER update_section_content_updated_at
    BEFORE UPDATE ON section_content
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER update_custom_feeds_updated_at
    BEFORE UPDATE ON custom_feeds
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER update_user_lists_updated_at
    BEFORE UPDATE ON user_lists
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();
