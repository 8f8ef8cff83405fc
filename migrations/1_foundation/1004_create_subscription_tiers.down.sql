-- 1004_create_subscription_tiers (down): drops table subscription_tiers.
DROP TABLE IF EXISTS subscription_tiers;
