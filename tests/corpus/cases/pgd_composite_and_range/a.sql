-- Composite types (nested, in arrays, as function results) and range types (own subtype
-- function, collation, opclass).
CREATE TYPE address AS (street text, city text COLLATE "C", zip varchar(10));
CREATE TYPE contact AS (name text, home address, other_addresses address[]);
CREATE TYPE float_range AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE text_range AS RANGE (subtype = text, collation = "C");
CREATE TYPE int_range AS RANGE (subtype = int4, subtype_opclass = int4_ops);
CREATE TABLE venue (
    id int PRIMARY KEY,
    contact contact,
    opening float_range,
    names text_range,
    seats int_range DEFAULT '[1,100)'
);
CREATE FUNCTION venue_city(v venue) RETURNS text LANGUAGE sql STABLE AS $$ SELECT (v.contact).home.city $$;
CREATE FUNCTION make_address(street text, city text) RETURNS address LANGUAGE sql IMMUTABLE
    AS $$ SELECT ROW(street, city, NULL)::address $$;
COMMENT ON TYPE address IS 'postal address';
COMMENT ON COLUMN address.zip IS 'postal code';
