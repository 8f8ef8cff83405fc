-- 2009_create_reposts: table reposts, a user's repost of a post with an optional comment
-- (004 §3 "reposts"); one per (user, post). posts.reposts_count is kept by
-- trigger_update_post_reposts_count (2013_triggers_engagement_counters).
CREATE TABLE reposts (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id             BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,

    comment             TEXT,  -- Optional comment when reposting

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT reposts_unique UNIQUE (user_id, post_id)
);

COMMENT ON TABLE reposts IS 'User reposts of other users posts';
