-- 2004_create_user_followers: table user_followers (003 "User Relationships (Followers)").
-- Note: 003 gives both an inline UNIQUE(follower_id, following_id) (PostgreSQL names it
--   user_followers_follower_id_following_id_key) and, in 2006, a unique index idx_followers_unique
--   on the same columns. Both are kept because 003 writes both; they are redundant. The anonymous
--   CHECK is named user_followers_check by PostgreSQL.
CREATE TABLE user_followers (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    follower_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    following_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    UNIQUE(follower_id, following_id),
    CHECK (follower_id != following_id)
);

COMMENT ON TABLE user_followers IS 'Who follows whom; users cannot follow themselves';
