-- 3009_indexes_tier3 (down): drops idx_feed_filters_type.
DROP INDEX IF EXISTS idx_feed_filters_type;
