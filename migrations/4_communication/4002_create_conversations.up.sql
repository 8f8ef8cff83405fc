-- 4002_create_conversations: table conversations, message threads whose participants are an
-- array of user ids (004 §6 "conversations", design decision 5); at least two participants.
-- Decision (defect): 004 writes CHECK (array_length(participant_ids, 1) >= 2). array_length of
--   an empty array is NULL, and a CHECK that yields NULL passes, so '{}' (no participant at all)
--   would be accepted. The constraint keeps its name and reads
--   COALESCE(array_length(participant_ids, 1), 0) >= 2, which rejects it as the name intends.
-- Note: an array element cannot carry a foreign key, so participant_ids is not checked against
--   users (002's dependency graph draws users -> conversations; no document gives a mechanism).
CREATE TABLE conversations (
    id                  BIGSERIAL PRIMARY KEY,

    participant_ids     BIGINT[] NOT NULL,  -- Array of user IDs

    last_message_at     TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT conversations_min_participants CHECK (COALESCE(array_length(participant_ids, 1), 0) >= 2)
);

COMMENT ON TABLE conversations IS 'Message conversation threads between users';
COMMENT ON COLUMN conversations.participant_ids IS 'Array of user IDs in conversation (supports group DMs)';
