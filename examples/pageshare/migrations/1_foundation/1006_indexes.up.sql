-- 1006_indexes: the indexes 001 names on the foundation tables
-- (001 §1 users, §4 tickers, §14 user_interests, §15 watchlist_items).
-- Note: idx_users_username and idx_tickers_symbol duplicate the UNIQUE-constraint indexes,
--   idx_user_interests_user_id the leading column of the primary key and
--   idx_watchlist_items_user_id the leading column of unique_user_ticker_watchlist. They are
--   created because 001 names them. Not CONCURRENTLY: migrations run in a transaction.
CREATE INDEX idx_users_username ON users(username);
CREATE INDEX idx_users_created_at ON users(created_at);
CREATE INDEX idx_users_last_active_at ON users(last_active_at);
CREATE INDEX idx_users_deleted_at ON users(deleted_at) WHERE deleted_at IS NULL;

CREATE INDEX idx_user_interests_user_id ON user_interests(user_id);
CREATE INDEX idx_user_interests_interest ON user_interests(interest);

CREATE INDEX idx_tickers_symbol ON tickers(symbol);
CREATE INDEX idx_tickers_type ON tickers(type);
CREATE INDEX idx_tickers_created_at ON tickers(created_at);

CREATE INDEX idx_watchlist_items_user_id ON watchlist_items(user_id);
CREATE INDEX idx_watchlist_items_ticker_id ON watchlist_items(ticker_id);
CREATE INDEX idx_watchlist_items_created_at ON watchlist_items(created_at DESC);
