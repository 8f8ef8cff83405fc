-- Accent-free search with unaccent: a text search configuration using its dictionary.
CREATE TEXT SEARCH CONFIGURATION public.fr_plain (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION public.fr_plain ALTER MAPPING FOR hword, hword_part, word WITH unaccent.unaccent, simple;
CREATE TABLE public.note (id int PRIMARY KEY, body text);
CREATE INDEX note_body ON public.note USING gin (to_tsvector('public.fr_plain', body));
COMMENT ON TEXT SEARCH DICTIONARY unaccent.unaccent IS 'strips accents';
ALTER FUNCTION unaccent.unaccent(text) COST 10;
REVOKE EXECUTE ON FUNCTION unaccent.unaccent(regdictionary, text) FROM PUBLIC;
GRANT USAGE ON SCHEMA unaccent TO corpus_reader;
