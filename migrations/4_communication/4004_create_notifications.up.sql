-- 4004_create_notifications: table notifications (004 §7 "notifications"); references the
-- recipient, the actor, and optionally a post and a comment.
-- Decision (contradiction): 004 "Referential Integrity" says a notification is kept when its
--   actor is deleted ("show as Someone"), but both DDL listings declare actor_id
--   REFERENCES users(id) ON DELETE CASCADE. The DDL is kept, as for messages.sender_id
--   (4003): users are normally soft-deleted, which keeps their notifications.
CREATE TABLE notifications (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    type                notification_type NOT NULL,

    actor_id            BIGINT REFERENCES users(id) ON DELETE CASCADE,
    post_id             BIGINT REFERENCES posts(id) ON DELETE CASCADE,
    comment_id          BIGINT REFERENCES comments(id) ON DELETE CASCADE,

    title               VARCHAR(200) NOT NULL,
    content             TEXT,
    action_url          VARCHAR(500),

    is_read             BOOLEAN NOT NULL DEFAULT FALSE,
    read_at             TIMESTAMPTZ,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT notifications_title_not_empty CHECK (LENGTH(TRIM(title)) > 0)
);

COMMENT ON TABLE notifications IS 'User notifications for social interactions';
COMMENT ON COLUMN notifications.actor_id IS 'User who triggered the notification (NULL for system)';
