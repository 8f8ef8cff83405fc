-- 1006_indexes (down): drops the twelve indexes of the up script.
DROP INDEX idx_watchlist_items_created_at;
DROP INDEX idx_watchlist_items_ticker_id;
DROP INDEX idx_watchlist_items_user_id;
DROP INDEX idx_tickers_created_at;
DROP INDEX idx_tickers_type;
DROP INDEX idx_tickers_symbol;
DROP INDEX idx_user_interests_interest;
DROP INDEX idx_user_interests_user_id;
DROP INDEX idx_users_deleted_at;
DROP INDEX idx_users_last_active_at;
DROP INDEX idx_users_created_at;
DROP INDEX idx_users_username;
