-- 4004_indexes: the indexes 001 names on the operations tables
-- (001 §13 reports, §16 error_logs, §17 user_sessions).
-- Not CONCURRENTLY: migrations run in a transaction.
CREATE INDEX idx_reports_reporter_id ON reports(reporter_id);
CREATE INDEX idx_reports_reported_post_id ON reports(reported_post_id);
CREATE INDEX idx_reports_reported_comment_id ON reports(reported_comment_id);
CREATE INDEX idx_reports_reported_user_id ON reports(reported_user_id);
CREATE INDEX idx_reports_status ON reports(status);
CREATE INDEX idx_reports_created_at ON reports(created_at DESC);

CREATE INDEX idx_error_logs_error_type ON error_logs(error_type);
CREATE INDEX idx_error_logs_user_id ON error_logs(user_id);
CREATE INDEX idx_error_logs_severity ON error_logs(severity);
CREATE INDEX idx_error_logs_created_at ON error_logs(created_at DESC);
CREATE INDEX idx_error_logs_resolved ON error_logs(resolved) WHERE resolved = FALSE;
CREATE INDEX idx_error_logs_environment ON error_logs(environment);

CREATE INDEX idx_user_sessions_user_id ON user_sessions(user_id);
CREATE INDEX idx_user_sessions_session_start ON user_sessions(session_start DESC);
CREATE INDEX idx_user_sessions_user_start ON user_sessions(user_id, session_start DESC);
