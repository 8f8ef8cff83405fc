-- Fuzzy search with pg_trgm: trigram GIN and GiST indexes, a search function, settings.
CREATE TABLE public.city (id int PRIMARY KEY, name text NOT NULL);
CREATE INDEX city_name_trgm ON public.city USING gin (name ext_pg_trgm.gin_trgm_ops);
CREATE INDEX city_name_trgm_gist ON public.city USING gist (name ext_pg_trgm.gist_trgm_ops);
CREATE FUNCTION public.city_like(q text) RETURNS SETOF public.city LANGUAGE sql STABLE
    AS $$ SELECT * FROM public.city WHERE name OPERATOR(ext_pg_trgm.%) q $$;
COMMENT ON FUNCTION ext_pg_trgm.similarity(text, text) IS 'how alike two strings are';
ALTER FUNCTION ext_pg_trgm.show_trgm(text) COST 50;
REVOKE EXECUTE ON FUNCTION ext_pg_trgm.set_limit(real) FROM PUBLIC;
DROP FUNCTION ext_pg_trgm.show_limit();
GRANT USAGE ON SCHEMA ext_pg_trgm TO corpus_reader;
