-- Enum types: used by columns, defaults, arrays and functions; one in another schema.
CREATE SCHEMA billing;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE billing.invoice_state AS ENUM ('draft', 'sent', 'paid', 'void');
CREATE TYPE "Weekday" AS ENUM ('mon', 'tue', 'wed', 'thu', 'fri');
CREATE TABLE person (id int PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok', moods mood[], free_days "Weekday"[]);
CREATE TABLE billing.invoice (id int PRIMARY KEY, state billing.invoice_state NOT NULL DEFAULT 'draft');
CREATE INDEX invoice_open ON billing.invoice (id) WHERE state IN ('draft', 'sent');
CREATE FUNCTION cheer(m mood) RETURNS mood LANGUAGE sql IMMUTABLE AS $$ SELECT 'happy'::mood $$;
COMMENT ON TYPE mood IS 'how someone feels';
