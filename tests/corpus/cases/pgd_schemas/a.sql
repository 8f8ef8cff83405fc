-- Schemas: owned by another role, with comments and privileges.
CREATE SCHEMA app;
CREATE SCHEMA reporting AUTHORIZATION corpus_owner;
CREATE SCHEMA "Mixed Case";
CREATE SCHEMA archive;
COMMENT ON SCHEMA app IS 'the application';
COMMENT ON SCHEMA archive IS 'old rows';
GRANT USAGE ON SCHEMA app TO corpus_reader, corpus_writer;
GRANT CREATE ON SCHEMA app TO corpus_writer;
GRANT USAGE ON SCHEMA reporting TO corpus_reader WITH GRANT OPTION;
CREATE TABLE app.settings (key text PRIMARY KEY, value text);
CREATE TABLE "Mixed Case"."Odd Table" ("Odd Column" int);
CREATE TABLE archive.settings (key text, value text, archived_at timestamptz);
