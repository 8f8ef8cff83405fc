-- 1002_create_accounts (down): drops table accounts.
DROP TABLE accounts;
