-- Sequences: every option, owned by columns, used by defaults, granted.
CREATE SEQUENCE ticket_no AS integer START WITH 1000 INCREMENT BY 10 MINVALUE 1000 MAXVALUE 999990 CACHE 5;
CREATE SEQUENCE countdown INCREMENT BY -1 MINVALUE -100 MAXVALUE 0 START WITH 0 CYCLE;
CREATE SEQUENCE small_seq AS smallint;
CREATE TABLE ticket (
    id int PRIMARY KEY DEFAULT nextval('ticket_no'),
    serial_col serial,
    big bigserial
);
ALTER SEQUENCE ticket_no OWNED BY ticket.id;
GRANT USAGE, SELECT ON SEQUENCE ticket_no TO corpus_writer;
GRANT SELECT ON SEQUENCE countdown TO corpus_reader;
COMMENT ON SEQUENCE countdown IS 'counts down';
