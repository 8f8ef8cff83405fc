-- Operating the queue: a queue archived (its partition detached), an extra column and
-- index on the partitioned job table, a new state, tuning and access for a reporting role.
ALTER TABLE pgboss.job DETACH PARTITION pgboss.j91edfdbde5cbecf10e8a1113ff677a8770bcb3107d60aa807f4b0b8b;
ALTER TABLE pgboss.job ADD COLUMN tenant text;
CREATE INDEX job_tenant_idx ON pgboss.job (tenant, created_on);
ALTER TYPE pgboss.job_state ADD VALUE 'paused' BEFORE 'active';
ALTER TABLE pgboss.queue ALTER COLUMN retention_minutes SET DEFAULT 1440;
ALTER TABLE pgboss.queue ADD CONSTRAINT queue_retry_limit_check CHECK (retry_limit >= 0);
DROP TABLE pgboss.subscription;
CREATE FUNCTION pgboss.queue_size(queue_name text) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM pgboss.job WHERE name = queue_name AND state < 'active' $$;
GRANT USAGE ON SCHEMA pgboss TO corpus_reader;
GRANT SELECT ON pgboss.queue, pgboss.job TO corpus_reader;
REVOKE EXECUTE ON FUNCTION pgboss.queue_size(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pgboss.queue_size(text) TO corpus_reader;
