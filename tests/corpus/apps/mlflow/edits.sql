-- A tracking server's operators at work: a wider name, a new run status, partial and
-- expression indexes for dashboards, retention by cascade, read access for analysts.
ALTER TABLE experiments ALTER COLUMN name TYPE varchar(500);
ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check
    CHECK (status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED', 'QUEUED'));
CREATE INDEX index_runs_experiment_active ON runs (experiment_id, start_time DESC) WHERE lifecycle_stage = 'active';
CREATE INDEX index_metrics_key_lower ON metrics (lower(key));
ALTER TABLE runs DROP CONSTRAINT runs_experiment_id_fkey;
ALTER TABLE runs ADD CONSTRAINT runs_experiment_id_fkey
    FOREIGN KEY (experiment_id) REFERENCES experiments (experiment_id) ON DELETE CASCADE;
ALTER TABLE metrics ALTER COLUMN is_nan DROP DEFAULT;
DROP TABLE trace_request_metadata;
CREATE MATERIALIZED VIEW experiment_run_counts AS
    SELECT experiment_id, count(*) AS runs FROM runs GROUP BY experiment_id;
CREATE UNIQUE INDEX experiment_run_counts_key ON experiment_run_counts (experiment_id);
GRANT SELECT ON runs, metrics, params, experiments, experiment_run_counts TO corpus_reader;
