-- A category tree with ltree: table, GiST and btree indexes, a view, access.
CREATE TABLE public.category (id int PRIMARY KEY, path ltree.ltree NOT NULL UNIQUE);
CREATE INDEX category_path_gist ON public.category USING gist (path ltree.gist_ltree_ops);
CREATE VIEW public.top_category AS SELECT id, path FROM public.category WHERE ltree.nlevel(path) = 1;
COMMENT ON TYPE ltree.ltree IS 'label paths';
COMMENT ON TYPE ltree.lquery IS 'label path patterns';
ALTER FUNCTION ltree.nlevel(ltree.ltree) COST 2;
REVOKE EXECUTE ON FUNCTION ltree.lca(ltree.ltree[]) FROM PUBLIC;
DROP FUNCTION ltree.ltree2text(ltree.ltree) CASCADE;
GRANT USAGE ON SCHEMA ltree TO corpus_reader;
