-- Reports with tablefunc: functions using crosstab, a view, access.
CREATE TABLE public.sales (region text, quarter text, amount numeric);
CREATE FUNCTION public.sales_by_quarter() RETURNS TABLE (region text, q1 numeric, q2 numeric) LANGUAGE sql STABLE
    AS $$ SELECT * FROM tablefunc.crosstab('SELECT region, quarter, amount FROM public.sales ORDER BY 1, 2')
          AS ct(region text, q1 numeric, q2 numeric) $$;
COMMENT ON FUNCTION tablefunc.normal_rand(integer, double precision, double precision) IS 'normally distributed numbers';
REVOKE EXECUTE ON FUNCTION tablefunc.crosstab(text) FROM PUBLIC;
ALTER FUNCTION tablefunc.normal_rand(integer, double precision, double precision) ROWS 100;
DROP FUNCTION tablefunc.crosstab4(text);
GRANT USAGE ON SCHEMA tablefunc TO corpus_reader;
CREATE VIEW public.sales_total AS SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;
