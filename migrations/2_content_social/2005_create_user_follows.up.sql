-- 2005_create_user_follows: table user_follows, asymmetric follower -> following edges
-- (004 §3 "user_follows"); no self-follow, one row per ordered pair.
CREATE TABLE user_follows (
    id                  BIGSERIAL PRIMARY KEY,
    follower_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    following_id        BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT user_follows_no_self_follow CHECK (follower_id != following_id),
    CONSTRAINT user_follows_unique UNIQUE (follower_id, following_id)
);

COMMENT ON TABLE user_follows IS 'Asymmetric follower/following relationships';
COMMENT ON COLUMN user_follows.follower_id IS 'User who is following';
COMMENT ON COLUMN user_follows.following_id IS 'User being followed';
