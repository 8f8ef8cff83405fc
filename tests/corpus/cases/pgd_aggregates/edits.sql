DROP VIEW reading_stats;
DROP AGGREGATE my_avg(int);
CREATE AGGREGATE my_avg(int) (
    SFUNC = int_pair_acc, STYPE = int[], FINALFUNC = int_pair_avg, INITCOND = '{0,0}'
);
CREATE VIEW reading_stats AS SELECT at, my_avg(v) OVER (ORDER BY at) AS running_avg FROM reading;
ALTER AGGREGATE join_text(text, text) RENAME TO join_with;
DROP AGGREGATE my_rank(VARIADIC "any" ORDER BY VARIADIC "any");
CREATE FUNCTION longer(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT CASE WHEN length(b) > length(a) THEN b ELSE a END $$;
CREATE AGGREGATE longest(text) (SFUNC = longer, STYPE = text, SORTOP = >);
ALTER AGGREGATE span(int) OWNER TO corpus_owner;
COMMENT ON AGGREGATE fraction_of(float8 ORDER BY anyelement) IS 'a quantile, discrete';
