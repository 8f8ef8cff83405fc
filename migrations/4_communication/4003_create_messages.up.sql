-- 4003_create_messages: table messages, messages of a conversation with read tracking as an
-- array of user ids (004 §6 "messages").
-- Decision (contradiction): 004 "Relationships / Referential Integrity" and "Preserved
--   References" say messages are kept when the sender is deleted, but both DDL listings
--   (004 §6 and the appendix) declare sender_id NOT NULL REFERENCES users(id) ON DELETE
--   CASCADE, and a NOT NULL column cannot be SET NULL. The DDL is kept (CASCADE): users are
--   normally soft-deleted (users.status = 'deleted', deleted_at), which keeps their messages.
CREATE TABLE messages (
    id                  BIGSERIAL PRIMARY KEY,
    conversation_id     BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    sender_id           BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    content             TEXT NOT NULL,

    read_by             BIGINT[] NOT NULL DEFAULT '{}',  -- Array of user IDs who read

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at          TIMESTAMPTZ,

    CONSTRAINT messages_content_not_empty CHECK (LENGTH(TRIM(content)) > 0)
);

COMMENT ON TABLE messages IS 'Individual messages within conversations';
COMMENT ON COLUMN messages.read_by IS 'Array of user IDs who have read this message';
