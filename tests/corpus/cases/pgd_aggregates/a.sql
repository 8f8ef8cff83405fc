-- Aggregates: plain with a final function and initial condition, moving-aggregate support
-- (usable as a window aggregate), combine functions (parallel), ordered-set and
-- hypothetical-set aggregates, polymorphic ones, a state of a table's row type.
CREATE FUNCTION int_pair_acc(state int[], v int) RETURNS int[] LANGUAGE sql IMMUTABLE
    AS $$ SELECT ARRAY[state[1] + coalesce(v, 0), state[2] + CASE WHEN v IS NULL THEN 0 ELSE 1 END] $$;
CREATE FUNCTION int_pair_inv(state int[], v int) RETURNS int[] LANGUAGE sql IMMUTABLE
    AS $$ SELECT ARRAY[state[1] - coalesce(v, 0), state[2] - CASE WHEN v IS NULL THEN 0 ELSE 1 END] $$;
CREATE FUNCTION int_pair_avg(state int[]) RETURNS numeric LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN state[2] = 0 THEN NULL ELSE state[1]::numeric / state[2] END $$;
CREATE FUNCTION int_pair_combine(a int[], b int[]) RETURNS int[] LANGUAGE sql IMMUTABLE
    AS $$ SELECT ARRAY[a[1] + b[1], a[2] + b[2]] $$;
CREATE AGGREGATE my_avg(int) (
    SFUNC = int_pair_acc, STYPE = int[], FINALFUNC = int_pair_avg, INITCOND = '{0,0}',
    COMBINEFUNC = int_pair_combine, PARALLEL = SAFE,
    MSFUNC = int_pair_acc, MINVFUNC = int_pair_inv, MSTYPE = int[], MFINALFUNC = int_pair_avg, MINITCOND = '{0,0}'
);
CREATE FUNCTION concat_acc(state text, v text, sep text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN state IS NULL THEN v ELSE state || sep || v END $$;
CREATE AGGREGATE join_text(text, text) (SFUNC = concat_acc, STYPE = text);
CREATE FUNCTION collect_acc(state anyarray, v anyelement) RETURNS anyarray LANGUAGE sql IMMUTABLE
    AS $$ SELECT array_append(state, v) $$;
CREATE FUNCTION middle_final(state anyarray, frac float8, v anyelement) RETURNS anyelement LANGUAGE sql IMMUTABLE
    AS $$ SELECT (SELECT x FROM unnest(state) x ORDER BY x OFFSET floor(frac * (cardinality(state) - 1)) LIMIT 1) $$;
CREATE AGGREGATE fraction_of(float8 ORDER BY anyelement) (
    SFUNC = collect_acc, STYPE = anyarray, FINALFUNC = middle_final, FINALFUNC_EXTRA
);
-- A hypothetical-set aggregate built from the server's own support functions.
CREATE AGGREGATE my_rank(VARIADIC "any" ORDER BY VARIADIC "any") (
    SFUNC = ordered_set_transition_multi, STYPE = internal,
    FINALFUNC = rank_final, FINALFUNC_EXTRA, HYPOTHETICAL
);
-- An aggregate whose state is a table's row type, and a window query's view using them.
CREATE TABLE range_state (lo int, hi int);
CREATE FUNCTION range_acc(s range_state, v int) RETURNS range_state LANGUAGE sql IMMUTABLE
    AS $$ SELECT ROW(least(s.lo, v), greatest(s.hi, v))::range_state $$;
CREATE AGGREGATE span(int) (SFUNC = range_acc, STYPE = range_state, INITCOND = '(2147483647,-2147483648)');
CREATE TABLE reading (at int, v int);
CREATE VIEW reading_stats AS
    SELECT at, my_avg(v) OVER (ORDER BY at ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving_avg
    FROM reading;
COMMENT ON AGGREGATE my_avg(int) IS 'average, as a window aggregate too';
