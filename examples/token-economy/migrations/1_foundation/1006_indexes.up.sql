-- 1006_indexes: the indexes 000 names on accounts, pages, follows and phone_verifications.
-- idx_accounts_phone duplicates the index of the inline UNIQUE on phone_number, idx_pages_account
--   nothing, idx_follows_follower the leading column of the primary key; all are created because
--   000 names them. Not CONCURRENTLY: migrations run in a transaction.
CREATE INDEX idx_accounts_phone ON accounts(phone_number);
CREATE INDEX idx_accounts_balance ON accounts(token_balance DESC) WHERE token_balance > 0;
CREATE INDEX idx_accounts_tax ON accounts(last_tax_collected_at, token_balance)
    WHERE token_balance > 200;
CREATE INDEX idx_accounts_stipend ON accounts(last_stipend_received_at, last_active_at);
CREATE INDEX idx_accounts_active ON accounts(last_active_at DESC);

CREATE UNIQUE INDEX idx_pages_username ON pages(LOWER(username));
CREATE INDEX idx_pages_account ON pages(account_id);
CREATE INDEX idx_pages_created ON pages(created_at DESC);

CREATE INDEX idx_follows_follower ON follows(follower_account_id);
CREATE INDEX idx_follows_following ON follows(following_page_id);

CREATE INDEX idx_verifications_phone ON phone_verifications(phone_number, created_at DESC);
CREATE INDEX idx_verifications_expiry ON phone_verifications(expires_at)
    WHERE verified_at IS NULL;
