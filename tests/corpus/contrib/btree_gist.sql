-- Exclusion constraints with btree_gist: room bookings that must not overlap.
CREATE TABLE public.booking (room int NOT NULL, during tstzrange NOT NULL,
    EXCLUDE USING gist (room btree_gist.gist_int4_ops WITH =, during WITH &&));
CREATE INDEX booking_room ON public.booking USING gist (room btree_gist.gist_int4_ops);
COMMENT ON TYPE btree_gist.gbtreekey16 IS 'internal key';
ALTER FUNCTION btree_gist.int4_dist(integer, integer) COST 2;
REVOKE EXECUTE ON FUNCTION btree_gist.cash_dist(money, money) FROM PUBLIC;
GRANT USAGE ON SCHEMA btree_gist TO corpus_reader;
CREATE TABLE public.slot (id int, name text, EXCLUDE USING gist (name btree_gist.gist_text_ops WITH =, id WITH <>));
ALTER TABLE public.booking ADD COLUMN note text;
