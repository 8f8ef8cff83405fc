-- 1003_create_user_interests: table user_interests (001 §14 "user_interests").
-- Placed in phase 1: it depends on users only and holds onboarding data.
CREATE TABLE user_interests (
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    interest VARCHAR(50) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    PRIMARY KEY (user_id, interest)
);

COMMENT ON TABLE user_interests IS 'User interests from onboarding';
COMMENT ON COLUMN user_interests.user_id IS 'User ID';
COMMENT ON COLUMN user_interests.interest IS 'Interest name (e.g., "Stocks", "Crypto", "ETFs")';
COMMENT ON COLUMN user_interests.created_at IS 'Interest assignment timestamp';
