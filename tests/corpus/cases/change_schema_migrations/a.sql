-- History tables of other tools, named like strata's: Rails / dbmate (version varchar
-- primary key), golang-migrate (version bigint, dirty boolean) in another schema, and a
-- table of the application that happens to be called schema_migrations. strata must
-- compare all of them like any table (only its own history table is left out).
CREATE TABLE public.schema_migrations (version character varying NOT NULL PRIMARY KEY);
CREATE TABLE public.ar_internal_metadata (key character varying PRIMARY KEY, value character varying,
    created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE SCHEMA migrate;
CREATE TABLE migrate.schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
CREATE TABLE public.widget (id bigserial PRIMARY KEY, name text);
