-- 2011_indexes_tier3: 002 "Tier 3: Nice-to-Have" index on a content table:
-- idx_posts_media_urls_gin (GIN on JSONB; also 004 "JSONB Indexes").
-- Kept apart from 2010_indexes so the tier can be rolled back on its own.
CREATE INDEX idx_posts_media_urls_gin
    ON posts USING GIN(media_urls);
