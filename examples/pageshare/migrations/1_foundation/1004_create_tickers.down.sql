-- 1004_create_tickers (down): drops table tickers.
DROP TABLE tickers;
