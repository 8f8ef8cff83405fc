CREATE TABLE items (id int PRIMARY KEY, price numeric, updated_at timestamptz);
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END;
$$;
CREATE FUNCTION net(p numeric) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT p * 0.75 $$;
CREATE FUNCTION gross(p numeric, rate numeric DEFAULT 0.2) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT p * (1 + rate) $$;
CREATE PROCEDURE reprice(factor numeric) LANGUAGE sql AS $$ UPDATE items SET price = price * factor $$;
CREATE TRIGGER items_stamp BEFORE INSERT OR UPDATE ON items FOR EACH ROW EXECUTE FUNCTION stamp();
CREATE TRIGGER items_stamp_insert BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION stamp();
ALTER TABLE items DISABLE TRIGGER items_stamp_insert;
COMMENT ON FUNCTION net(numeric) IS 'after tax';
