-- 3005_create_content_filters: table content_filters (001 §12 "content_filters").
CREATE TABLE content_filters (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    filtered_user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    filter_type VARCHAR(10) NOT NULL CHECK (filter_type IN ('mute', 'block')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT unique_user_filter UNIQUE (user_id, filtered_user_id, filter_type),
    CONSTRAINT no_self_filter CHECK (user_id != filtered_user_id)
);

COMMENT ON TABLE content_filters IS 'User content filtering (mute/block)';
COMMENT ON COLUMN content_filters.id IS 'Unique filter ID';
COMMENT ON COLUMN content_filters.user_id IS 'User applying the filter';
COMMENT ON COLUMN content_filters.filtered_user_id IS 'User being filtered';
COMMENT ON COLUMN content_filters.filter_type IS 'Filter type: mute (hide posts) or block (full block)';
COMMENT ON COLUMN content_filters.created_at IS 'Filter creation timestamp';
