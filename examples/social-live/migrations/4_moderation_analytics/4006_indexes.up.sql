-- 4006_indexes: the indexes 003 names on content_moderation, user_analytics and system_metrics.
-- 003 names no index on audit_log and none is invented. Not CONCURRENTLY: migrations run in a
-- transaction.
CREATE INDEX idx_moderation_content ON content_moderation(content_type, content_id);
CREATE INDEX idx_moderation_status ON content_moderation(status);
CREATE INDEX idx_moderation_moderator ON content_moderation(moderator_id);

CREATE INDEX idx_analytics_user_date ON user_analytics(user_id, date DESC);
CREATE INDEX idx_analytics_date ON user_analytics(date);

CREATE INDEX idx_metrics_name_time ON system_metrics(metric_name, timestamp DESC);
CREATE INDEX idx_metrics_tags ON system_metrics USING GIN(tags);
