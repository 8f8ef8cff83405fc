-- 2006_create_friendships: table friendships, one row per symmetric friendship with the
-- lower user id first (004 §3 "friendships", CHECK friendships_ordered: user_id_1 < user_id_2).
-- Rows are created by trigger_create_friendship (2014_triggers_friendship) on a mutual follow.
CREATE TABLE friendships (
    id                  BIGSERIAL PRIMARY KEY,
    user_id_1           BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_id_2           BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT friendships_no_self CHECK (user_id_1 != user_id_2),
    CONSTRAINT friendships_ordered CHECK (user_id_1 < user_id_2),
    CONSTRAINT friendships_unique UNIQUE (user_id_1, user_id_2)
);

COMMENT ON TABLE friendships IS 'Symmetric friend relationships (bidirectional)';
COMMENT ON COLUMN friendships.user_id_1 IS 'Lower user_id (enforced by constraint)';
COMMENT ON COLUMN friendships.user_id_2 IS 'Higher user_id (enforced by constraint)';
