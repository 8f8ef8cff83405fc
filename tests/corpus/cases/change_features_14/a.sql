-- corpus: min_version 14
-- PostgreSQL 14's additions: multiranges (made with each range type, named or not),
-- column compression, OUT parameters in procedures.
CREATE TYPE temp_range AS RANGE (subtype = numeric, multirange_type_name = temp_ranges);
CREATE TYPE slot AS RANGE (subtype = timestamptz);
CREATE TABLE booking (id int PRIMARY KEY, slots slot_multirange, temps temp_ranges, note text COMPRESSION pglz);
CREATE PROCEDURE tally(IN a int, OUT total int) LANGUAGE plpgsql AS $$ BEGIN total := a * 2; END $$;
CREATE FUNCTION free_slots(b booking) RETURNS slot_multirange LANGUAGE sql IMMUTABLE RETURN b.slots;
