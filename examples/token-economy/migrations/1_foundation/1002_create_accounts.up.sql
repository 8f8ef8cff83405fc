-- 1002_create_accounts: table accounts (000 "CORE ENTITIES / Accounts: One per phone number,
-- holds all tokens"), as written. The inline UNIQUE on phone_number is named
-- accounts_phone_number_key and the inline CHECK accounts_token_balance_check by PostgreSQL.
CREATE TABLE accounts (
    account_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    phone_number VARCHAR(20) UNIQUE NOT NULL,
    phone_verified_at TIMESTAMP NOT NULL,
    -- Token Economy
    token_balance DECIMAL(12, 2) NOT NULL DEFAULT 100.00 CHECK (token_balance >= 0),
    tokens_earned_lifetime DECIMAL(12, 2) NOT NULL DEFAULT 0,
    tokens_spent_lifetime DECIMAL(12, 2) NOT NULL DEFAULT 0,
    -- Taxation & Stipend
    last_tax_collected_at TIMESTAMP,
    last_stipend_received_at TIMESTAMP,
    total_tax_paid DECIMAL(12, 2) NOT NULL DEFAULT 0,
    total_stipend_received DECIMAL(12, 2) NOT NULL DEFAULT 0,
    -- Activity Tracking
    daily_comments_free_remaining INT NOT NULL DEFAULT 2,
    daily_comments_reset_at DATE NOT NULL DEFAULT CURRENT_DATE,
    last_active_at TIMESTAMP NOT NULL DEFAULT NOW(),
    -- Onboarding
    is_early_adopter BOOLEAN NOT NULL DEFAULT FALSE,
    weeks_since_signup INT NOT NULL DEFAULT 0,
    -- Stats (denormalized for performance)
    posts_created_count INT NOT NULL DEFAULT 0,
    comments_created_count INT NOT NULL DEFAULT 0,
    -- Metadata
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT chk_phone_format CHECK (phone_number ~ '^\+[1-9]\d{1,14}$')
);

COMMENT ON TABLE accounts IS 'One per phone number, holds all tokens';
COMMENT ON COLUMN accounts.weeks_since_signup IS 'For new user stipend bonus';
COMMENT ON COLUMN accounts.posts_created_count IS 'Stats (denormalized for performance)';
COMMENT ON COLUMN accounts.comments_created_count IS 'Stats (denormalized for performance)';
