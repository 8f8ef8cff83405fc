-- An application storing attributes in hstore: a table, GIN and GiST indexes with the
-- extension's operator classes, a helper, and tighter access to its functions.
CREATE TABLE public.product (id int PRIMARY KEY, attrs hstore.hstore NOT NULL DEFAULT ''::hstore.hstore);
CREATE INDEX product_attrs ON public.product USING gin (attrs hstore.gin_hstore_ops);
CREATE INDEX product_attrs_gist ON public.product USING gist (attrs hstore.gist_hstore_ops);
CREATE FUNCTION public.attr(p public.product, k text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT p.attrs OPERATOR(hstore.->) k $$;
COMMENT ON TYPE hstore.hstore IS 'key/value pairs';
REVOKE EXECUTE ON FUNCTION hstore.hstore_to_json(hstore.hstore) FROM PUBLIC;
ALTER FUNCTION hstore.akeys(hstore.hstore) COST 10;
DROP FUNCTION hstore.hstore_version_diag(hstore.hstore);
GRANT USAGE ON SCHEMA hstore TO corpus_reader;
