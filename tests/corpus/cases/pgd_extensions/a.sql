-- Extensions created the ordinary way: in their own schemas, at given versions, used by
-- tables and indexes.
CREATE SCHEMA ext;
CREATE EXTENSION citext WITH SCHEMA ext;
CREATE EXTENSION hstore WITH SCHEMA ext VERSION '1.7';
CREATE EXTENSION pg_trgm WITH SCHEMA ext;
CREATE EXTENSION "uuid-ossp";
CREATE TABLE account (
    id uuid PRIMARY KEY DEFAULT uuid_generate_v4(),
    email ext.citext NOT NULL UNIQUE,
    attrs ext.hstore
);
CREATE INDEX account_email_trgm ON account USING gin ((email::text) ext.gin_trgm_ops);
COMMENT ON EXTENSION hstore IS 'key/value attributes';
