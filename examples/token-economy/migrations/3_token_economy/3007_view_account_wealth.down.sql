-- 3007_view_account_wealth (down): drops view v_account_wealth.
DROP VIEW v_account_wealth;
