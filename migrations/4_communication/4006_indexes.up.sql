-- 4006_indexes: indexes on the communication tables - the 5 of 002 "Phase 4 Indexes"
-- (002 claims "4") and the 004 appendix:
--   Tier 1 (critical): idx_notifications_user_unread.
--   In no tier: idx_conversations_participants (GIN on BIGINT[]), idx_messages_conversation_created,
--     idx_messages_unread (partial GIN on BIGINT[]), idx_notifications_user_created.
-- Decision: 002 says Tier 1 indexes go "in Phase 1-2 migrations", but notifications is created
--   in phase 4 (002 "Phase 4"), so idx_notifications_user_unread can only be created here.
CREATE INDEX idx_conversations_participants
    ON conversations USING GIN(participant_ids);

CREATE INDEX idx_messages_conversation_created
    ON messages(conversation_id, created_at DESC)
    WHERE deleted_at IS NULL;

CREATE INDEX idx_messages_unread
    ON messages USING GIN(read_by)
    WHERE deleted_at IS NULL;

CREATE INDEX idx_notifications_user_unread
    ON notifications(user_id, created_at DESC)
    WHERE is_read = FALSE;

CREATE INDEX idx_notifications_user_created
    ON notifications(user_id, created_at DESC);
