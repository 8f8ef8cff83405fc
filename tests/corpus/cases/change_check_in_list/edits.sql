ALTER TABLE run DROP CONSTRAINT run_status_check;
ALTER TABLE run ADD CONSTRAINT run_status_check CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED', 'KILLED'));
DROP INDEX run_live;
CREATE INDEX run_live ON run (id) WHERE kind IN ('a', 'b', 'c');
ALTER TABLE run ALTER COLUMN stage SET DEFAULT 'deleted'::character varying;
ALTER TABLE run ADD COLUMN source varchar(20) CHECK (source IN ('NOTEBOOK', 'JOB'));
