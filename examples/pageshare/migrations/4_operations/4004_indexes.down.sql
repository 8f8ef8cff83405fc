-- 4004_indexes (down): drops the fifteen indexes of the up script.
DROP INDEX idx_user_sessions_user_start;
DROP INDEX idx_user_sessions_session_start;
DROP INDEX idx_user_sessions_user_id;
DROP INDEX idx_error_logs_environment;
DROP INDEX idx_error_logs_resolved;
DROP INDEX idx_error_logs_created_at;
DROP INDEX idx_error_logs_severity;
DROP INDEX idx_error_logs_user_id;
DROP INDEX idx_error_logs_error_type;
DROP INDEX idx_reports_created_at;
DROP INDEX idx_reports_status;
DROP INDEX idx_reports_reported_user_id;
DROP INDEX idx_reports_reported_comment_id;
DROP INDEX idx_reports_reported_post_id;
DROP INDEX idx_reports_reporter_id;
