ALTER PUBLICATION eu_orders SET TABLE shop.orders (id, total) WHERE (region IN ('eu', 'uk'));
ALTER PUBLICATION crm_all ADD TABLES IN SCHEMA shop;
ALTER PUBLICATION mixed DROP TABLES IN SCHEMA shop;
ALTER PUBLICATION mixed SET TABLE crm.contact (id, email);
CREATE PUBLICATION items FOR TABLE shop.item WHERE (id > 0);
ALTER TABLE shop.orders ADD COLUMN placed date;
ALTER PUBLICATION eu_orders SET (publish = 'insert');
CREATE TABLE crm.note (id int PRIMARY KEY, body text);
