-- 3008_indexes (down): drops the four indexes created by the up script.
DROP INDEX IF EXISTS idx_feed_filters_feed;
DROP INDEX IF EXISTS idx_custom_feeds_user;
DROP INDEX IF EXISTS idx_section_content_section_order;
DROP INDEX IF EXISTS idx_profile_sections_user_order;
