-- 1005_create_watchlist_items: table watchlist_items (001 §15 "watchlist_items").
-- Placed in phase 1: it depends only on users and tickers (001 lists it 15th).
CREATE TABLE watchlist_items (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ticker_id UUID NOT NULL REFERENCES tickers(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT unique_user_ticker_watchlist UNIQUE (user_id, ticker_id)
);

COMMENT ON TABLE watchlist_items IS 'User''s watchlist of tickers (for future use, currently frontend-only)';
COMMENT ON COLUMN watchlist_items.id IS 'Unique watchlist item ID';
COMMENT ON COLUMN watchlist_items.user_id IS 'User who added to watchlist';
COMMENT ON COLUMN watchlist_items.ticker_id IS 'Ticker being watched';
COMMENT ON COLUMN watchlist_items.created_at IS 'Watchlist addition timestamp';
