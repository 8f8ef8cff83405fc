-- 3004_create_decay_events: table decay_events (000 "Decay Events: Track token decay
-- applications"), as written.
CREATE TABLE decay_events (
    event_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    post_id UUID NOT NULL REFERENCES posts(post_id) ON DELETE CASCADE,
    balance_before DECIMAL(12, 2) NOT NULL,
    decay_rate DECIMAL(5, 4) NOT NULL,
    tokens_decayed DECIMAL(12, 2) NOT NULL CHECK (tokens_decayed >= 0),
    balance_after DECIMAL(12, 2) NOT NULL,
    applied_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT chk_decay_math CHECK (balance_after = balance_before - tokens_decayed)
);

COMMENT ON TABLE decay_events IS 'Track token decay applications';
