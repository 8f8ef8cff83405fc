-- 3009_indexes_tier3: 002 "Tier 3: Nice-to-Have" index on a features table:
-- idx_feed_filters_type (002 also lists it under "Phase 3 Indexes").
-- Kept apart from 3008_indexes so the tier can be rolled back on its own.
CREATE INDEX idx_feed_filters_type
    ON feed_filters(type, feed_id);
