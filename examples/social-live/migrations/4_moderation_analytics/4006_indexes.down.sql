-- 4006_indexes (down): drops the seven indexes of the up script.
DROP INDEX idx_metrics_tags;
DROP INDEX idx_metrics_name_time;
DROP INDEX idx_analytics_date;
DROP INDEX idx_analytics_user_date;
DROP INDEX idx_moderation_moderator;
DROP INDEX idx_moderation_status;
DROP INDEX idx_moderation_content;
