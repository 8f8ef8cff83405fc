-- Objects pg_dump emits that are rarer: conversions, a table copied with LIKE … INCLUDING
-- ALL. (Subscriptions are left out of the corpus: they live in a shared catalog, so a copy
-- of a database made from a template does not carry them, and a database holding one
-- cannot be dropped.)
CREATE SCHEMA misc;
CREATE CONVERSION misc.latin1_to_utf8 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE DEFAULT CONVERSION misc.default_latin1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE TABLE misc.template (id int PRIMARY KEY, a text DEFAULT 'x', CHECK (a <> ''));
CREATE TABLE misc.copy (LIKE misc.template INCLUDING ALL, extra int);
COMMENT ON CONVERSION misc.latin1_to_utf8 IS 'a conversion';
