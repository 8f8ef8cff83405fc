-- An upgrade of the task queue as its maintainers write them, plus local tuning.
ALTER TYPE procrastinate_job_status ADD VALUE 'paused' AFTER 'doing';
ALTER TYPE procrastinate_job_to_defer_v1 ADD ATTRIBUTE note text;
ALTER TABLE procrastinate_jobs ADD COLUMN meta jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE procrastinate_jobs ALTER COLUMN priority SET DEFAULT 5;
CREATE INDEX procrastinate_jobs_scheduled_idx ON procrastinate_jobs (scheduled_at) WHERE status = 'todo';
DROP FUNCTION procrastinate_retry_job_v1(bigint, timestamp with time zone, integer, character varying, character varying);
CREATE OR REPLACE FUNCTION procrastinate_prune_stalled_workers_v1(seconds_since_heartbeat double precision)
    RETURNS TABLE(worker_id bigint)
    LANGUAGE plpgsql
AS $$
BEGIN
    RETURN QUERY
    DELETE FROM procrastinate_workers
    WHERE last_heartbeat < NOW() - make_interval(secs => seconds_since_heartbeat)
    RETURNING procrastinate_workers.id;
END;
$$;
DROP TRIGGER procrastinate_trigger_delete_jobs_v1 ON procrastinate_jobs;
ALTER TABLE procrastinate_events SET (autovacuum_vacuum_scale_factor = 0.01);
REVOKE ALL ON FUNCTION procrastinate_fetch_job_v2(character varying[], bigint) FROM PUBLIC;
COMMENT ON TYPE procrastinate_job_status IS 'life cycle of a job';
