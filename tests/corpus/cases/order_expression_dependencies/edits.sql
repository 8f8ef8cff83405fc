CREATE FUNCTION z_slug(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT replace(lower(t), ' ', '-') $$;
ALTER TABLE a_item ADD COLUMN slug text GENERATED ALWAYS AS (z_slug(name)) STORED;
DROP INDEX a_item_valid;
ALTER TABLE a_item DROP CONSTRAINT a_item_code_valid;
DROP FUNCTION z_valid(text);
ALTER TABLE a_item ALTER COLUMN code DROP DEFAULT;
DROP FUNCTION z_next_code();
CREATE INDEX a_item_slug ON a_item (z_slug(name)) WHERE name IS NOT NULL;
ALTER TABLE a_item ADD CONSTRAINT a_item_slug_len CHECK (length(z_slug(name)) < 200);
