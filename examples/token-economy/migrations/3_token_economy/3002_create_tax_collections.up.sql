-- 3002_create_tax_collections: table tax_collections (000 "Tax Collections: Weekly progressive
-- taxation"), as written.
CREATE TABLE tax_collections (
    collection_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    account_id UUID NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    balance_before DECIMAL(12, 2) NOT NULL,
    tax_bracket VARCHAR(20) NOT NULL,
    tax_rate DECIMAL(5, 4) NOT NULL CHECK (tax_rate >= 0 AND tax_rate <= 1),
    tokens_taxed DECIMAL(12, 2) NOT NULL CHECK (tokens_taxed >= 0),
    balance_after DECIMAL(12, 2) NOT NULL,
    collected_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT chk_tax_math CHECK (balance_after = balance_before - tokens_taxed)
);

COMMENT ON TABLE tax_collections IS 'Weekly progressive taxation';
