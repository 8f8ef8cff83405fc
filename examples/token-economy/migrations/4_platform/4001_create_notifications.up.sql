-- 4001_create_notifications: table notifications (000 "Notifications: User alerts"), as written.
-- Note: reference_type/reference_id point at any entity, so they have no foreign key.
CREATE TABLE notifications (
    notification_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    account_id UUID NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    type VARCHAR(50) NOT NULL,
    title VARCHAR(200) NOT NULL,
    message TEXT NOT NULL,
    reference_type VARCHAR(20),
    reference_id UUID,
    is_read BOOLEAN NOT NULL DEFAULT FALSE,
    read_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT chk_notification_type CHECK (type IN (
        'token_earned', 'comment_reply', 'tax_collected',
        'stipend_received', 'post_boosted', 'unlike_refund'
    ))
);

COMMENT ON TABLE notifications IS 'User alerts';
