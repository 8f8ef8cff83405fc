-- Functions and procedures: SQL and PL/pgSQL, overloads, defaults, OUT and INOUT
-- parameters, RETURNS TABLE and SETOF, VARIADIC, polymorphic types, volatility,
-- strictness, SECURITY DEFINER with SET search_path, COST/ROWS, LEAKPROOF, PARALLEL,
-- configuration settings, procedures with transaction control.
CREATE SCHEMA util;
CREATE TABLE util.counter (name text PRIMARY KEY, n bigint NOT NULL DEFAULT 0);
CREATE FUNCTION util.add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT a + b $$;
CREATE FUNCTION util.add(a numeric, b numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE FUNCTION util.split_name(full_name text, OUT first text, OUT last text) LANGUAGE sql IMMUTABLE
    AS $$ SELECT split_part(full_name, ' ', 1), split_part(full_name, ' ', 2) $$;
CREATE FUNCTION util.series(n int) RETURNS TABLE (i int, square int) LANGUAGE sql STABLE ROWS 50
    AS $$ SELECT g, g * g FROM generate_series(1, n) g $$;
CREATE FUNCTION util.counters() RETURNS SETOF util.counter LANGUAGE sql STABLE AS $$ SELECT * FROM util.counter $$;
CREATE FUNCTION util.total(VARIADIC nums int[]) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT sum(x) FROM unnest(nums) x $$;
CREATE FUNCTION util.first_of(anyarray) RETURNS anyelement LANGUAGE sql IMMUTABLE AS $$ SELECT $1[1] $$;
CREATE FUNCTION util.bump(counter_name text) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = util, pg_temp COST 50
AS $$
DECLARE v bigint;
BEGIN
    INSERT INTO counter (name, n) VALUES (counter_name, 1)
    ON CONFLICT (name) DO UPDATE SET n = counter.n + 1 RETURNING n INTO v;
    RETURN v;
END $$;
CREATE FUNCTION util.same(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE LEAKPROOF AS $$ SELECT a = b $$;
CREATE FUNCTION util.slow() RETURNS void LANGUAGE plpgsql SET work_mem = '64MB' SET statement_timeout = '5s'
    AS $$ BEGIN PERFORM pg_sleep(0); END $$;
CREATE PROCEDURE util.reset_counters(keep text DEFAULT NULL) LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM util.counter WHERE name IS DISTINCT FROM keep;
    COMMIT;
END $$;
CREATE PROCEDURE util.swap(INOUT a int, INOUT b int) LANGUAGE plpgsql AS $$
DECLARE t int; BEGIN t := a; a := b; b := t; END $$;
COMMENT ON FUNCTION util.add(int, int) IS 'adds';
COMMENT ON PROCEDURE util.reset_counters(text) IS 'clears counters';
