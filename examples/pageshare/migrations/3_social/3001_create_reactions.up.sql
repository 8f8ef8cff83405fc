-- 3001_create_reactions: table reactions and its two partial uniques (001 §6 "reactions").
-- Decision (spec README defect): 001 writes
--     CONSTRAINT unique_user_post_reaction UNIQUE (user_id, post_id) WHERE post_id IS NOT NULL
--     CONSTRAINT unique_user_comment_reaction UNIQUE (user_id, comment_id) WHERE comment_id IS NOT NULL
--   inside CREATE TABLE, which is not valid SQL (a table constraint cannot be partial). They are
--   created here, with the table they protect, as partial UNIQUE INDEXes carrying the same names.
--   (Without the WHERE, a NULL post_id/comment_id never collides anyway; the partial form keeps
--   each index to the rows it is about, as 001 intends.)
CREATE TABLE reactions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id UUID REFERENCES posts(id) ON DELETE CASCADE,
    comment_id UUID REFERENCES comments(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT reaction_target CHECK (
        (post_id IS NOT NULL AND comment_id IS NULL) OR
        (post_id IS NULL AND comment_id IS NOT NULL)
    )
);

CREATE UNIQUE INDEX unique_user_post_reaction ON reactions(user_id, post_id) WHERE post_id IS NOT NULL;
CREATE UNIQUE INDEX unique_user_comment_reaction ON reactions(user_id, comment_id) WHERE comment_id IS NOT NULL;

COMMENT ON TABLE reactions IS 'Reactions (likes) on posts and comments; one per user per post/comment';
COMMENT ON COLUMN reactions.id IS 'Unique reaction ID';
COMMENT ON COLUMN reactions.user_id IS 'User who reacted';
COMMENT ON COLUMN reactions.post_id IS 'Post being reacted to (mutually exclusive with comment_id)';
COMMENT ON COLUMN reactions.comment_id IS 'Comment being reacted to (mutually exclusive with post_id)';
COMMENT ON COLUMN reactions.created_at IS 'Reaction timestamp';
