-- 3008_indexes: indexes on the features tables from 002 "Phase 3 Indexes" (and the 004 appendix),
-- except the Tier 3 one, which is in 3009_indexes_tier3:
--   Tier 2 (optimization): idx_profile_sections_user_order, idx_custom_feeds_user.
--   In no tier: idx_section_content_section_order, idx_feed_filters_feed.
-- user_lists and list_members get no extra index: no document names one (their UNIQUE
-- constraints already index (user_id, name) and (list_id, member_user_id)).
CREATE INDEX idx_profile_sections_user_order
    ON profile_sections(user_id, display_order)
    WHERE is_visible = TRUE;

CREATE INDEX idx_section_content_section_order
    ON section_content(section_id, display_order);

CREATE INDEX idx_custom_feeds_user
    ON custom_feeds(user_id, display_order);

CREATE INDEX idx_feed_filters_feed
    ON feed_filters(feed_id, group_id, display_order);
