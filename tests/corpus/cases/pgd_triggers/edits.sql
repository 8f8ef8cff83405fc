DROP TRIGGER account_log ON account;
CREATE TRIGGER account_log AFTER UPDATE OF balance, owner ON account FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION log_change();
ALTER TABLE account ENABLE TRIGGER account_truncate;
ALTER TABLE account_log ENABLE ALWAYS TRIGGER account_log_touch;
DROP TRIGGER account_bulk ON account;
CREATE TRIGGER account_bulk AFTER INSERT ON account REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_rows('bulk insert');
CREATE FUNCTION rich_account_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN DELETE FROM account WHERE id = OLD.id; RETURN OLD; END $$;
CREATE TRIGGER rich_account_delete INSTEAD OF DELETE ON rich_account FOR EACH ROW EXECUTE FUNCTION rich_account_delete();
DROP TRIGGER account_balance ON account;
CREATE CONSTRAINT TRIGGER account_balance AFTER INSERT OR UPDATE OF balance ON account
    NOT DEFERRABLE FOR EACH ROW EXECUTE FUNCTION check_balance();
COMMENT ON TRIGGER account_touch ON account IS NULL;
