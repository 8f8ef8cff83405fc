-- 3006_indexes (down): drops the ten indexes of the up script.
DROP INDEX idx_decay_applied;
DROP INDEX idx_decay_post;
DROP INDEX idx_stipend_distributed;
DROP INDEX idx_stipend_account;
DROP INDEX idx_tax_collected;
DROP INDEX idx_tax_account;
DROP INDEX idx_transactions_unlikeable;
DROP INDEX idx_transactions_target;
DROP INDEX idx_transactions_recipient;
DROP INDEX idx_transactions_spender;
