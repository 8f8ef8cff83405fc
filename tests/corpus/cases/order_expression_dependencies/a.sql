-- Functions used by columns and indexes of tables that sort before them: a generated
-- column, a default, a CHECK, an index expression and a partial index predicate.
CREATE FUNCTION z_norm(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(t)) $$;
CREATE FUNCTION z_next_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(random()::text) $$;
CREATE FUNCTION z_valid(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT t ~ '^[a-z0-9]+$' $$;
CREATE TABLE a_item (
    id int PRIMARY KEY,
    name text,
    norm text GENERATED ALWAYS AS (z_norm(name)) STORED,
    code text DEFAULT z_next_code(),
    CONSTRAINT a_item_code_valid CHECK (z_valid(code))
);
CREATE INDEX a_item_norm ON a_item (z_norm(name));
CREATE INDEX a_item_valid ON a_item (id) WHERE z_valid(name);
