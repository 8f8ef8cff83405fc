CREATE SEQUENCE invoice_no START 1000;
CREATE SEQUENCE gone_seq;
CREATE TABLE invoices (id serial PRIMARY KEY, no bigint DEFAULT nextval('invoice_no'));
