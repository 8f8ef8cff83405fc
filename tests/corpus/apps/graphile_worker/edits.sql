-- A team's changes around the job queue: tenants on jobs, a reporting view, tighter
-- limits, a function removed, and access for the application role.
ALTER TABLE graphile_worker._private_jobs ADD COLUMN tenant text;
CREATE INDEX jobs_tenant_index ON graphile_worker._private_jobs (tenant, run_at) WHERE tenant IS NOT NULL;
ALTER TABLE graphile_worker._private_jobs ALTER COLUMN max_attempts SET DEFAULT 10;
ALTER TABLE graphile_worker._private_tasks ADD CONSTRAINT tasks_identifier_length CHECK (length(identifier) <= 128);
ALTER TYPE graphile_worker.job_spec ADD ATTRIBUTE tenant text;
CREATE VIEW graphile_worker.failed_jobs AS
    SELECT j.id, t.identifier AS task_identifier, j.last_error, j.updated_at
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE j.attempts >= j.max_attempts;
DROP FUNCTION graphile_worker.force_unlock_workers(text[]);
CREATE POLICY tenant_jobs ON graphile_worker._private_jobs FOR SELECT TO corpus_reader
    USING (tenant = current_setting('app.tenant', true));
GRANT USAGE ON SCHEMA graphile_worker TO corpus_writer;
GRANT EXECUTE ON FUNCTION graphile_worker.add_job(text, json, text, timestamp with time zone, integer, text, integer, text[], text) TO corpus_writer;
COMMENT ON VIEW graphile_worker.failed_jobs IS 'jobs out of attempts';
