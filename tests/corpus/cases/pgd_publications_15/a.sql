-- corpus: min_version 15
-- Publications with PostgreSQL 15's row filters, column lists and whole schemas.
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id int PRIMARY KEY, total numeric, region text, secret text);
CREATE TABLE shop.item (id int PRIMARY KEY, name text);
CREATE SCHEMA crm;
CREATE TABLE crm.contact (id int PRIMARY KEY, email text);
CREATE PUBLICATION eu_orders FOR TABLE shop.orders (id, total, region) WHERE (region = 'eu');
CREATE PUBLICATION crm_all FOR TABLES IN SCHEMA crm;
CREATE PUBLICATION mixed FOR TABLES IN SCHEMA shop, TABLE crm.contact;
