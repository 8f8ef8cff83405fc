-- 3006_indexes: the indexes 000 names on token_transactions, tax_collections,
-- stipend_distributions and decay_events.
-- Decision: 000's  DROP INDEX IF EXISTS idx_transactions_unlikeable;  before creating that index
--   is left out: in a migration applied once, in order, the index cannot exist yet, and the
--   statement would make the up script drop something it did not create.
-- Not CONCURRENTLY: migrations run in a transaction.
CREATE INDEX idx_transactions_spender ON token_transactions(spender_account_id, created_at DESC);
CREATE INDEX idx_transactions_recipient ON token_transactions(recipient_account_id, created_at DESC)
    WHERE recipient_account_id IS NOT NULL;
CREATE INDEX idx_transactions_target ON token_transactions(target_type, target_id, created_at DESC);
CREATE INDEX idx_transactions_unlikeable ON token_transactions(spender_account_id, can_unlike_until)
    WHERE unliked_at IS NULL;

CREATE INDEX idx_tax_account ON tax_collections(account_id, collected_at DESC);
CREATE INDEX idx_tax_collected ON tax_collections(collected_at DESC);

CREATE INDEX idx_stipend_account ON stipend_distributions(account_id, distributed_at DESC);
CREATE INDEX idx_stipend_distributed ON stipend_distributions(distributed_at DESC);

CREATE INDEX idx_decay_post ON decay_events(post_id, applied_at DESC);
CREATE INDEX idx_decay_applied ON decay_events(applied_at DESC);
