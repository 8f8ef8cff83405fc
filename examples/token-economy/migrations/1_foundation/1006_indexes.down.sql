-- 1006_indexes (down): drops the twelve indexes of the up script.
DROP INDEX idx_verifications_expiry;
DROP INDEX idx_verifications_phone;
DROP INDEX idx_follows_following;
DROP INDEX idx_follows_follower;
DROP INDEX idx_pages_created;
DROP INDEX idx_pages_account;
DROP INDEX idx_pages_username;
DROP INDEX idx_accounts_active;
DROP INDEX idx_accounts_stipend;
DROP INDEX idx_accounts_tax;
DROP INDEX idx_accounts_balance;
DROP INDEX idx_accounts_phone;
