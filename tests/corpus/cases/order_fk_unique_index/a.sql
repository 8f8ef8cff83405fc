-- A foreign key that references columns made unique by a unique index (not a
-- constraint): the index must exist first and go last; also one on a partial-free
-- expression-free multi-column index, and one to a unique constraint in another schema.
CREATE SCHEMA ref;
CREATE TABLE ref.country (code text NOT NULL, name text);
CREATE UNIQUE INDEX country_code_idx ON ref.country (code);
CREATE TABLE z_city (id int PRIMARY KEY, country_code text REFERENCES ref.country (code), name text);
CREATE UNIQUE INDEX z_city_country_name ON z_city (country_code, name);
CREATE TABLE a_street (city_country text, city_name text, name text,
    FOREIGN KEY (city_country, city_name) REFERENCES z_city (country_code, name));
