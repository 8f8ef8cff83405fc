-- 2007_create_post_interactions: table post_interactions, likes/bookmarks/shares of a post
-- by a user (004 §3 "post_interactions"); one row per (user, post, type).
CREATE TABLE post_interactions (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id             BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    type                interaction_type NOT NULL,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT post_interactions_unique UNIQUE (user_id, post_id, type)
);

COMMENT ON TABLE post_interactions IS 'User interactions with posts (likes, bookmarks, shares)';
