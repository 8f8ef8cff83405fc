-- Event triggers: on each event, with tag filters, disabled and replica-only ones.
CREATE FUNCTION note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE 'ddl: %', tg_tag; END $$;
CREATE FUNCTION note_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE 'dropped something'; END $$;
CREATE EVENT TRIGGER ddl_start ON ddl_command_start WHEN TAG IN ('CREATE TABLE', 'DROP TABLE') EXECUTE FUNCTION note_ddl();
CREATE EVENT TRIGGER ddl_end ON ddl_command_end EXECUTE FUNCTION note_ddl();
CREATE EVENT TRIGGER on_drop ON sql_drop EXECUTE FUNCTION note_drop();
CREATE EVENT TRIGGER on_rewrite ON table_rewrite EXECUTE FUNCTION note_ddl();
ALTER EVENT TRIGGER on_rewrite DISABLE;
COMMENT ON EVENT TRIGGER ddl_start IS 'tables come and go';
