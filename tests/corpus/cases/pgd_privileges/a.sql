-- Privileges: table, column-level, sequence, function, procedure, schema, type, domain,
-- wrapper, server and language grants, WITH GRANT OPTION, grants made by another grantor,
-- grants to PUBLIC, PUBLIC's default privileges revoked.
CREATE SCHEMA app;
CREATE TABLE app.customer (id int PRIMARY KEY, name text, email text, card_no text, notes text);
CREATE TABLE app.invoice (id int PRIMARY KEY, customer_id int, total numeric);
CREATE SEQUENCE app.invoice_no;
CREATE FUNCTION app.total_of(c int) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT sum(total) FROM app.invoice WHERE customer_id = c $$;
CREATE PROCEDURE app.close_books() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TYPE app.level AS ENUM ('low', 'high');
CREATE DOMAIN app.amount AS numeric CHECK (VALUE >= 0);
CREATE FOREIGN DATA WRAPPER app_fdw;
CREATE SERVER app_srv FOREIGN DATA WRAPPER app_fdw;
GRANT USAGE ON SCHEMA app TO corpus_reader, corpus_writer, corpus_owner;
GRANT SELECT ON ALL TABLES IN SCHEMA app TO corpus_reader;
GRANT SELECT (id, name), UPDATE (name, email) ON app.customer TO corpus_writer;
GRANT INSERT (id, name, email), REFERENCES (id) ON app.customer TO corpus_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON app.invoice TO corpus_writer WITH GRANT OPTION;
GRANT SELECT ON app.invoice TO corpus_owner WITH GRANT OPTION;
SET ROLE corpus_owner;
GRANT SELECT ON app.invoice TO corpus_auditor;
RESET ROLE;
GRANT USAGE, SELECT ON SEQUENCE app.invoice_no TO corpus_writer;
REVOKE EXECUTE ON FUNCTION app.total_of(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.total_of(int) TO corpus_reader;
REVOKE EXECUTE ON PROCEDURE app.close_books() FROM PUBLIC;
REVOKE USAGE ON TYPE app.level FROM PUBLIC;
GRANT USAGE ON TYPE app.level TO corpus_writer;
GRANT USAGE ON DOMAIN app.amount TO corpus_writer;
GRANT USAGE ON FOREIGN DATA WRAPPER app_fdw TO corpus_owner WITH GRANT OPTION;
GRANT USAGE ON FOREIGN SERVER app_srv TO corpus_reader;
GRANT SELECT ON app.customer TO PUBLIC;
REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC;
GRANT USAGE ON LANGUAGE plpgsql TO corpus_writer;
