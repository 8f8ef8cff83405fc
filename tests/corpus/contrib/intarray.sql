-- Integer array search with intarray: GIN and GiST indexes with its operator classes.
CREATE TABLE public.message (id int PRIMARY KEY, sections int[] NOT NULL DEFAULT '{}');
CREATE INDEX message_sections ON public.message USING gin (sections intarray.gin__int_ops);
CREATE INDEX message_sections_gist ON public.message USING gist (sections intarray.gist__int_ops);
COMMENT ON TYPE intarray.query_int IS 'boolean queries on integer arrays';
ALTER FUNCTION intarray.icount(integer[]) COST 2;
REVOKE EXECUTE ON FUNCTION intarray.sort_desc(integer[]) FROM PUBLIC;
DROP FUNCTION intarray.intset(integer);
GRANT USAGE ON SCHEMA intarray TO corpus_reader;
