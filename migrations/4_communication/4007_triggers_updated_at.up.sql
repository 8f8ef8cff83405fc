-- 4007_triggers_updated_at: BEFORE UPDATE updated_at triggers on the communication tables that
-- have updated_at:
--   update_messages_updated_at: 002 checklist "Phase 4 Triggers" and the 004 appendix.
--   update_user_subscriptions_updated_at: not written out; 002 "Category 1" applies the trigger
--     "to all tables with updated_at"; named after the documents' pattern.
-- (conversations and notifications have no updated_at column.)
-- The "Optional: Auto-mark messages as read" trigger of 002 is not created: the document
-- neither names nor defines it.
-- Uses update_updated_at_column() from 1_foundation/1012_triggers_updated_at.
CREATE TRIGGER update_messages_updated_at
    BEFORE UPDATE ON messages
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER update_user_subscriptions_updated_at
    BEFORE UPDATE ON user_subscriptions
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();
