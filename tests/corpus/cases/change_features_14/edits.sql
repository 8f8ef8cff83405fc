CREATE TYPE price_range AS RANGE (subtype = numeric, multirange_type_name = price_ranges);
ALTER TABLE booking ADD COLUMN prices price_ranges;
ALTER TABLE booking ALTER COLUMN note SET COMPRESSION default;
ALTER TABLE booking DROP COLUMN temps;
DROP TYPE temp_range;
DROP PROCEDURE tally(int, int);
CREATE PROCEDURE tally(IN a int, OUT total int, OUT half int) LANGUAGE plpgsql AS $$ BEGIN total := a * 2; half := a / 2; END $$;
ALTER TABLE booking ADD COLUMN extra text COMPRESSION pglz;
