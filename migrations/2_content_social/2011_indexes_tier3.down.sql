-- 2011_indexes_tier3 (down): drops idx_posts_media_urls_gin.
DROP INDEX IF EXISTS idx_posts_media_urls_gin;
