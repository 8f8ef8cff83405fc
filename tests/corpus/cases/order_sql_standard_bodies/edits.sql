ALTER TABLE z_stock ADD COLUMN reserved int NOT NULL DEFAULT 0;
DROP VIEW a_low;
CREATE OR REPLACE FUNCTION a_qty(s text) RETURNS int LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT z_clamp(qty - reserved) FROM z_stock WHERE sku = s;
END;
CREATE VIEW a_low AS SELECT sku, a_qty(sku) AS available FROM z_stock WHERE a_qty(sku) < 10;
CREATE FUNCTION a_total() RETURNS bigint LANGUAGE sql STABLE RETURN (SELECT sum(qty) FROM z_stock);
DROP PROCEDURE a_restock(text, int);
CREATE PROCEDURE a_restock(s text, n int) LANGUAGE sql
BEGIN ATOMIC
    UPDATE z_stock SET qty = z_clamp(qty + n) WHERE sku = s;
END;
