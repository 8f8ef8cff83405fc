-- 4005_create_user_subscriptions (down): drops table user_subscriptions.
DROP TABLE IF EXISTS user_subscriptions;
