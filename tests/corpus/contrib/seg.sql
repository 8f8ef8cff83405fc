-- Measurements with uncertainty with seg: a table, a GiST index, access.
CREATE TABLE public.reading (id int PRIMARY KEY, v seg.seg NOT NULL);
CREATE INDEX reading_v ON public.reading USING gist (v);
CREATE INDEX reading_v_btree ON public.reading (v);
COMMENT ON TYPE seg.seg IS 'line segments or floating point intervals';
ALTER FUNCTION seg.seg_size(seg.seg) COST 3;
REVOKE EXECUTE ON FUNCTION seg.seg_center(seg.seg) FROM PUBLIC;
GRANT USAGE ON SCHEMA seg TO corpus_reader;
ALTER TABLE public.reading ADD CONSTRAINT reading_small CHECK (seg.seg_size(v) < 100);
