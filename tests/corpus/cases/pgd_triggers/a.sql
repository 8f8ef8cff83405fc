-- Triggers: before/after/instead of, row and statement, WHEN, UPDATE OF, transition
-- tables, constraint triggers (deferrable), disabled and replica-only triggers, a trigger
-- function with arguments, INSTEAD OF triggers on a view.
CREATE TABLE account (id int PRIMARY KEY, balance numeric NOT NULL DEFAULT 0, owner text, updated_at timestamptz);
CREATE TABLE account_log (account_id int, old_balance numeric, new_balance numeric, at timestamptz DEFAULT now());
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO account_log (account_id, old_balance, new_balance) VALUES (NEW.id, OLD.balance, NEW.balance);
  RETURN NULL;
END $$;
CREATE FUNCTION count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE '% rows (%)', (SELECT count(*) FROM new_rows), TG_ARGV[0]; RETURN NULL; END $$;
CREATE FUNCTION check_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW.balance < 0 THEN RAISE EXCEPTION 'negative'; END IF; RETURN NULL; END $$;
CREATE TRIGGER account_touch BEFORE UPDATE ON account FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER account_log AFTER UPDATE OF balance ON account FOR EACH ROW
    WHEN (OLD.balance IS DISTINCT FROM NEW.balance) EXECUTE FUNCTION log_change();
CREATE TRIGGER account_bulk AFTER INSERT ON account REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_rows('insert');
CREATE CONSTRAINT TRIGGER account_balance AFTER INSERT OR UPDATE ON account
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_balance();
CREATE TRIGGER account_truncate BEFORE TRUNCATE ON account FOR EACH STATEMENT EXECUTE FUNCTION count_rows('truncate');
ALTER TABLE account DISABLE TRIGGER account_truncate;
CREATE TRIGGER account_log_touch BEFORE INSERT ON account_log FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE account_log ENABLE REPLICA TRIGGER account_log_touch;

CREATE VIEW rich_account AS SELECT id, balance, owner FROM account WHERE balance > 1000;
CREATE FUNCTION rich_account_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO account (id, balance, owner) VALUES (NEW.id, NEW.balance, NEW.owner); RETURN NEW; END $$;
CREATE TRIGGER rich_account_insert INSTEAD OF INSERT ON rich_account FOR EACH ROW EXECUTE FUNCTION rich_account_insert();
COMMENT ON TRIGGER account_touch ON account IS 'keeps updated_at';
