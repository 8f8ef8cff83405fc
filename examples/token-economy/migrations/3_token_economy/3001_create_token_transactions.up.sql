-- 3001_create_token_transactions: table token_transactions (000 "TOKEN ECONOMY / Token
-- Transactions: Every token movement is recorded"), as written.
-- Notes: target_id points at a post or a comment depending on target_type, so it has no foreign
--   key (INVARIANTS.md checks it). chk_not_self_spend passes when recipient_account_id is NULL
--   (recipient deleted: ON DELETE SET NULL), as written. spender_account_id is ON DELETE
--   RESTRICT: an account with transactions cannot be hard-deleted.
CREATE TABLE token_transactions (
    transaction_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    -- Spender
    spender_account_id UUID NOT NULL REFERENCES accounts(account_id) ON DELETE RESTRICT,
    spender_page_id UUID REFERENCES pages(page_id) ON DELETE SET NULL,
    -- Target
    target_type VARCHAR(20) NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id UUID NOT NULL,
    -- Amounts
    tokens_spent DECIMAL(12, 2) NOT NULL CHECK (tokens_spent > 0),
    tokens_to_creator DECIMAL(12, 2) NOT NULL CHECK (tokens_to_creator >= 0),
    tokens_to_government DECIMAL(12, 2) NOT NULL CHECK (tokens_to_government >= 0),
    tokens_burned DECIMAL(12, 2) NOT NULL CHECK (tokens_burned >= 0),
    -- Recipient
    recipient_account_id UUID REFERENCES accounts(account_id) ON DELETE SET NULL,
    recipient_page_id UUID REFERENCES pages(page_id) ON DELETE SET NULL,
    -- Unlike window
    can_unlike_until TIMESTAMP NOT NULL,
    unliked_at TIMESTAMP,
    -- Metadata
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT chk_amounts_sum CHECK (
        tokens_spent = tokens_to_creator + tokens_to_government + tokens_burned
    ),
    CONSTRAINT chk_not_self_spend CHECK (spender_account_id != recipient_account_id)
);

COMMENT ON TABLE token_transactions IS 'Every token movement is recorded';
