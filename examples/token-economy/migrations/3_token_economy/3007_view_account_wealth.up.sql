-- 3007_view_account_wealth: view v_account_wealth (000 "Account Wealth View"), as written.
-- Note: it selects a.* columns while grouping by a.account_id only, which PostgreSQL accepts
--   because account_id is the primary key; the view therefore depends on accounts_pkey.
--   wealth_rank ranks all accounts by token_balance. Placed in the token-economy phase (it needs
--   only accounts and posts).
CREATE VIEW v_account_wealth AS
SELECT
    a.account_id,
    a.token_balance,
    a.tokens_earned_lifetime,
    a.tokens_spent_lifetime,
    a.total_tax_paid,
    a.total_stipend_received,
    COALESCE(SUM(p.total_tokens_received), 0) as tokens_locked_on_posts,
    RANK() OVER (ORDER BY a.token_balance DESC) as wealth_rank
FROM accounts a
LEFT JOIN posts p ON a.account_id = p.account_id
AND p.deleted_at IS NULL
GROUP BY a.account_id;

COMMENT ON VIEW v_account_wealth IS 'Account wealth: balances, lifetime totals, tokens locked on live posts and wealth rank';
