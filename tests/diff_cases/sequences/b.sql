CREATE SEQUENCE invoice_no AS integer START 5000 INCREMENT 10 CACHE 5 CYCLE;
CREATE SEQUENCE ticket_no;
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, no bigint DEFAULT nextval('invoice_no'), ticket bigint DEFAULT nextval('ticket_no'));
ALTER SEQUENCE ticket_no OWNED BY invoices.ticket;
