-- 3003_create_stipend_distributions: table stipend_distributions (000 "Stipend Distributions:
-- Weekly universal basic income"), as written.
CREATE TABLE stipend_distributions (
    distribution_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    account_id UUID NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    base_stipend DECIMAL(12, 2) NOT NULL CHECK (base_stipend >= 0),
    engagement_bonus DECIMAL(12, 2) NOT NULL DEFAULT 0 CHECK (engagement_bonus >= 0),
    new_user_bonus DECIMAL(12, 2) NOT NULL DEFAULT 0 CHECK (new_user_bonus >= 0),
    total_stipend DECIMAL(12, 2) NOT NULL,
    was_active BOOLEAN NOT NULL,
    tokens_earned_last_week DECIMAL(12, 2) NOT NULL DEFAULT 0,
    distributed_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT chk_stipend_sum CHECK (
        total_stipend = base_stipend + engagement_bonus + new_user_bonus
    )
);

COMMENT ON TABLE stipend_distributions IS 'Weekly universal basic income';
