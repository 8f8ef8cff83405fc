-- 3001_create_token_transactions (down): drops table token_transactions.
DROP TABLE token_transactions;
