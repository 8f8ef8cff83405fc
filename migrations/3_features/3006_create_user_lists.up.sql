-- 3006_create_user_lists: table user_lists, user-created lists of other users
-- (004 §9 "user_lists"; 002 puts it in phase 3). List names are unique per user.
CREATE TABLE user_lists (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    name                VARCHAR(100) NOT NULL,
    description         TEXT,

    is_public           BOOLEAN NOT NULL DEFAULT TRUE,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT user_lists_name_not_empty CHECK (LENGTH(TRIM(name)) > 0),
    CONSTRAINT user_lists_user_name_unique UNIQUE (user_id, name)
);

COMMENT ON TABLE user_lists IS 'User-created lists (e.g., "Favorite Artists", "Local Businesses")';
