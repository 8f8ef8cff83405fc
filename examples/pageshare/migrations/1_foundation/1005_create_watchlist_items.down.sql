-- 1005_create_watchlist_items (down): drops table watchlist_items.
DROP TABLE watchlist_items;
