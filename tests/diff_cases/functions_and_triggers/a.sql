CREATE TABLE items (id int PRIMARY KEY, price numeric, updated_at timestamptz);
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
CREATE FUNCTION net(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT p * 0.8 $$;
CREATE FUNCTION old_helper() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TRIGGER items_stamp BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION stamp();
CREATE TRIGGER items_stamp_insert BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION stamp();
