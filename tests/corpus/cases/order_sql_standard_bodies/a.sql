-- corpus: min_version 14
-- SQL-standard function bodies (BEGIN ATOMIC / RETURN) record what they use in pg_depend:
-- tables, other functions, types. They must come after all of it, and go before it.
CREATE TABLE z_stock (sku text PRIMARY KEY, qty int NOT NULL DEFAULT 0);
CREATE FUNCTION z_clamp(v int) RETURNS int LANGUAGE sql IMMUTABLE RETURN greatest(v, 0);
CREATE FUNCTION a_qty(s text) RETURNS int LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT z_clamp(qty) FROM z_stock WHERE sku = s;
END;
CREATE PROCEDURE a_restock(s text, n int) LANGUAGE sql
BEGIN ATOMIC
    UPDATE z_stock SET qty = qty + n WHERE sku = s;
END;
CREATE VIEW a_low AS SELECT sku FROM z_stock WHERE a_qty(sku) < 5;
