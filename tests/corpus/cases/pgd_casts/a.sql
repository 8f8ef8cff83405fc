-- Casts between our own types and built-in ones: with a function (explicit, assignment,
-- implicit), binary-coercible WITHOUT FUNCTION, WITH INOUT.
CREATE TYPE rgb AS (r int, g int, b int);
CREATE TYPE colour_name AS ENUM ('red', 'green', 'blue');
CREATE FUNCTION rgb_of(c colour_name) RETURNS rgb LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE c WHEN 'red' THEN ROW(255,0,0)::rgb WHEN 'green' THEN ROW(0,255,0)::rgb ELSE ROW(0,0,255)::rgb END $$;
CREATE FUNCTION rgb_text(c rgb) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT format('#%s%s%s', lpad(to_hex(c.r), 2, '0'), lpad(to_hex(c.g), 2, '0'), lpad(to_hex(c.b), 2, '0')) $$;
CREATE CAST (colour_name AS rgb) WITH FUNCTION rgb_of(colour_name) AS ASSIGNMENT;
CREATE CAST (rgb AS text) WITH FUNCTION rgb_text(rgb);
CREATE CAST (colour_name AS text) WITH INOUT AS IMPLICIT;
CREATE TYPE flag AS ENUM ('off', 'on');
CREATE CAST (flag AS int4) WITH INOUT;
CREATE TABLE swatch (id int, c colour_name, code rgb);
COMMENT ON CAST (colour_name AS rgb) IS 'named colours as RGB';
