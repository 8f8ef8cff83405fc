-- corpus: min_version 14
-- Storage: table access methods, storage parameters on tables and TOAST, per-column
-- storage, compression and statistics targets, replica identity, clustering.
CREATE ACCESS METHOD heap_copy TYPE TABLE HANDLER heap_tableam_handler;
CREATE TABLE doc (
    id int PRIMARY KEY,
    body text COMPRESSION pglz,
    meta jsonb,
    summary text
) WITH (fillfactor = 80, toast.autovacuum_enabled = false, parallel_workers = 2);
ALTER TABLE doc ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE doc ALTER COLUMN meta SET STORAGE MAIN;
ALTER TABLE doc ALTER COLUMN summary SET STATISTICS 1000;
ALTER TABLE doc ALTER COLUMN meta SET (n_distinct = -0.5);
CREATE TABLE doc_archive (id int NOT NULL, body text) USING heap_copy;
CREATE UNIQUE INDEX doc_archive_id ON doc_archive (id);
ALTER TABLE doc_archive REPLICA IDENTITY USING INDEX doc_archive_id;
CREATE INDEX doc_summary ON doc (summary) WITH (fillfactor = 70);
ALTER TABLE doc CLUSTER ON doc_summary;
CREATE TABLE log_line (at timestamptz, line text) WITH (autovacuum_enabled = false, log_autovacuum_min_duration = 0);
ALTER TABLE log_line REPLICA IDENTITY NOTHING;
