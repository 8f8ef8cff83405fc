-- Case-insensitive emails with citext: columns, a unique index, a domain, access.
CREATE DOMAIN public.email AS citext.citext CHECK (VALUE OPERATOR(citext.~) '^[^@]+@[^@]+$');
CREATE TABLE public.member (id int PRIMARY KEY, email public.email NOT NULL, nick citext.citext);
CREATE UNIQUE INDEX member_email ON public.member (email);
CREATE INDEX member_nick ON public.member (nick citext.citext_pattern_ops);
COMMENT ON TYPE citext.citext IS 'text compared without case';
ALTER FUNCTION citext.citext_larger(citext.citext, citext.citext) COST 3;
REVOKE EXECUTE ON FUNCTION citext.regexp_matches(citext.citext, citext.citext) FROM PUBLIC;
GRANT USAGE ON SCHEMA citext TO corpus_reader;
ALTER TABLE public.member ALTER COLUMN nick SET DEFAULT ''::citext.citext;
