-- Domains: constraints, defaults, NOT NULL, collation; a domain over a domain, over a
-- composite type and over an array, named so that name order is the wrong order.
CREATE DOMAIN z_money_amount AS numeric(12,2) NOT NULL DEFAULT 0;
CREATE DOMAIN a_positive_price AS z_money_amount CONSTRAINT price_positive CHECK (VALUE > 0);
CREATE TYPE z_point3 AS (x double precision, y double precision, z double precision);
CREATE DOMAIN a_nonzero_point AS z_point3 CHECK ((VALUE).x <> 0 OR (VALUE).y <> 0 OR (VALUE).z <> 0);
CREATE DOMAIN code AS text COLLATE "C" CONSTRAINT code_format CHECK (VALUE ~ '^[A-Z]{3}$');
CREATE DOMAIN tags AS text[] DEFAULT '{}' CHECK (cardinality(VALUE) <= 10);
CREATE DOMAIN us_zip AS varchar(10);
ALTER DOMAIN us_zip ADD CONSTRAINT us_zip_check CHECK (VALUE ~ '^\d{5}(-\d{4})?$') NOT VALID;
CREATE TABLE product (
    id int PRIMARY KEY,
    price a_positive_price,
    origin a_nonzero_point,
    currency code NOT NULL,
    labels tags,
    zip us_zip
);
COMMENT ON DOMAIN code IS 'ISO 4217 currency code';
COMMENT ON CONSTRAINT code_format ON DOMAIN code IS 'three capitals';
