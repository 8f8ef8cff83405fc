-- 3005_create_feed_filters: table feed_filters, the normalised filter blocks of a custom feed
-- (004 §5 "feed_filters"); deleted with its feed.
-- Note: logical_operator is documented as 'AND', 'OR', 'NOT' but has no CHECK in any document;
--   none is invented here.
CREATE TABLE feed_filters (
    id                  BIGSERIAL PRIMARY KEY,
    feed_id             BIGINT NOT NULL REFERENCES custom_feeds(id) ON DELETE CASCADE,

    type                filter_type NOT NULL,
    operator            filter_operator NOT NULL,
    value               JSONB NOT NULL,  -- Filter-specific value(s)

    group_id            INTEGER NOT NULL DEFAULT 0,
    logical_operator    VARCHAR(10) NOT NULL DEFAULT 'AND',  -- 'AND', 'OR', 'NOT'

    display_order       INTEGER NOT NULL DEFAULT 0,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE feed_filters IS 'Individual filter blocks composing feed algorithms';
COMMENT ON COLUMN feed_filters.value IS 'JSONB value specific to filter type';
COMMENT ON COLUMN feed_filters.group_id IS 'Group filters for complex logic (AND/OR combinations)';
