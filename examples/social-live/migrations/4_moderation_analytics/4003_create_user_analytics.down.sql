-- 4003_create_user_analytics (down): drops table user_analytics.
DROP TABLE user_analytics;
