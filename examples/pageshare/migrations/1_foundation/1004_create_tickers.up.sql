-- 1004_create_tickers: table tickers (001 §4 "tickers").
-- Placed in phase 1 (reference data, no foreign key) so that post_tickers (phase 2) and
--   watchlist_items (1005) can reference it; 001 lists it after posts and comments.
-- Note: the UNIQUE on symbol gets PostgreSQL's name tickers_symbol_key; idx_tickers_symbol
--   (1006) duplicates its index and is created because 001 names it.
CREATE TABLE tickers (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    symbol VARCHAR(20) UNIQUE NOT NULL,
    name VARCHAR(200),
    type VARCHAR(20) CHECK (type IN ('stock', 'crypto', 'etf', 'other')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT symbol_uppercase CHECK (symbol = UPPER(symbol))
);

COMMENT ON TABLE tickers IS 'Stock/crypto ticker symbols extracted from posts';
COMMENT ON COLUMN tickers.id IS 'Unique ticker ID';
COMMENT ON COLUMN tickers.symbol IS 'Ticker symbol (uppercase, unique), e.g. "AAPL", "BTC"';
COMMENT ON COLUMN tickers.name IS 'Full ticker name, e.g. "Apple Inc."';
COMMENT ON COLUMN tickers.type IS 'Ticker type (stock, crypto, etf, other)';
COMMENT ON COLUMN tickers.created_at IS 'Ticker creation timestamp';
