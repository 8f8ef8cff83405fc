-- Objects that depend on a table's row type or columns and sort before it: an aggregate
-- whose state is the row type, an operator on the row type, a cast from it, a function
-- returning it, a column of another table typed by it.
CREATE TABLE z_money (amount numeric, currency text);
CREATE FUNCTION a_money_add(a z_money, b z_money) RETURNS z_money LANGUAGE sql IMMUTABLE
    AS $$ SELECT ROW(coalesce(a.amount, 0) + b.amount, b.currency)::z_money $$;
CREATE AGGREGATE a_money_sum(z_money) (SFUNC = a_money_add, STYPE = z_money);
CREATE OPERATOR + (LEFTARG = z_money, RIGHTARG = z_money, FUNCTION = a_money_add);
CREATE FUNCTION a_money_text(m z_money) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT m.amount || ' ' || m.currency $$;
CREATE CAST (z_money AS text) WITH FUNCTION a_money_text(z_money);
CREATE TABLE a_wallet (id int PRIMARY KEY, balance z_money);
