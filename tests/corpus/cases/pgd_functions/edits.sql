CREATE OR REPLACE FUNCTION util.add(a int, b int DEFAULT 2) RETURNS int LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT a + b $$;
DROP FUNCTION util.add(numeric, numeric);
ALTER FUNCTION util.series(int) ROWS 100;
ALTER FUNCTION util.bump(text) SECURITY INVOKER;
ALTER FUNCTION util.slow() RESET statement_timeout;
ALTER FUNCTION util.same(text, text) NOT LEAKPROOF;
ALTER FUNCTION util.first_of(anyarray) STRICT;
CREATE OR REPLACE PROCEDURE util.reset_counters(keep text DEFAULT NULL) LANGUAGE plpgsql AS $$
BEGIN
    UPDATE util.counter SET n = 0 WHERE name IS DISTINCT FROM keep;
END $$;
CREATE FUNCTION util.mul(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT a * b $$;
ALTER FUNCTION util.total(VARIADIC int[]) OWNER TO corpus_owner;
COMMENT ON FUNCTION util.add(int, int) IS 'adds two, or one and two';
