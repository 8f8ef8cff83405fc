DROP CAST (z_money AS text);
DROP FUNCTION a_money_text(z_money);
DROP OPERATOR + (z_money, z_money);
CREATE TABLE z_rate (currency text PRIMARY KEY, rate numeric DEFAULT 1);
CREATE FUNCTION a_money_eq(a z_money, b z_money) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT a.amount = b.amount AND a.currency = b.currency $$;
CREATE OPERATOR === (LEFTARG = z_money, RIGHTARG = z_money, FUNCTION = a_money_eq);
ALTER TABLE a_wallet ADD COLUMN limit_amount z_money;
CREATE TABLE z_ledger (id int, entry z_money);
CREATE FUNCTION a_ledger_total() RETURNS z_money LANGUAGE sql STABLE AS $$ SELECT a_money_sum(entry) FROM z_ledger $$;
