-- 3004_create_custom_feeds: table custom_feeds, user-defined feeds with their filter
-- algorithm as JSONB (004 §5 "custom_feeds"); feed names are unique per user.
CREATE TABLE custom_feeds (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    name                VARCHAR(100) NOT NULL,
    description         TEXT,

    -- {filters: [{type, operator, value}], logic: 'AND|OR', sort: 'recent|popular'}
    algorithm_config    JSONB NOT NULL,

    is_default          BOOLEAN NOT NULL DEFAULT FALSE,
    display_order       INTEGER NOT NULL DEFAULT 0,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT custom_feeds_name_not_empty CHECK (LENGTH(TRIM(name)) > 0),
    CONSTRAINT custom_feeds_user_name_unique UNIQUE (user_id, name)
);

COMMENT ON TABLE custom_feeds IS 'User-defined custom feeds with filter algorithms';
COMMENT ON COLUMN custom_feeds.algorithm_config IS 'JSONB filter blocks and logical operators';
