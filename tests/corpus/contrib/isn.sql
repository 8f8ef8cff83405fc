-- Product numbers with isn: typed columns, indexes, casts in use, access.
CREATE TABLE public.book (isbn isn.isbn13 PRIMARY KEY, ean isn.ean13, issn isn.issn);
CREATE INDEX book_ean ON public.book (ean);
CREATE INDEX book_ean_hash ON public.book USING hash (ean);
COMMENT ON TYPE isn.isbn13 IS 'ISBN-13';
ALTER FUNCTION isn.is_valid(isn.isbn13) COST 2;
REVOKE EXECUTE ON FUNCTION isn.isn_weak(boolean) FROM PUBLIC;
GRANT USAGE ON SCHEMA isn TO corpus_reader;
ALTER TABLE public.book ADD COLUMN upc isn.upc;
CREATE VIEW public.book_codes AS SELECT isbn, ean::text AS ean_text FROM public.book;
