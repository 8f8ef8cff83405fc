-- 2003_create_post_tickers (down): drops table post_tickers.
DROP TABLE post_tickers;
