-- 2003_create_post_tickers: junction table post_tickers (001 §5 "post_tickers").
CREATE TABLE post_tickers (
    post_id UUID NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    ticker_id UUID NOT NULL REFERENCES tickers(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    PRIMARY KEY (post_id, ticker_id)
);

COMMENT ON TABLE post_tickers IS 'Many-to-many relationship between posts and tickers';
COMMENT ON COLUMN post_tickers.post_id IS 'Post ID';
COMMENT ON COLUMN post_tickers.ticker_id IS 'Ticker ID';
COMMENT ON COLUMN post_tickers.created_at IS 'Relationship creation timestamp';
