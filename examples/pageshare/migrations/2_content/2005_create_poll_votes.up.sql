-- 2005_create_poll_votes: table poll_votes (001 §11 "poll_votes").
-- Note: option_index has only a lower bound (valid_option_index >= 0); 001 gives no upper bound
--   and a CHECK cannot read polls.options, so "option_index < number of options" is listed in
--   INVARIANTS.md (poll_vote_option_in_range) instead of being enforced here.
CREATE TABLE poll_votes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    poll_id UUID NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    option_index INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT unique_user_poll_vote UNIQUE (user_id, poll_id),
    CONSTRAINT valid_option_index CHECK (option_index >= 0)
);

COMMENT ON TABLE poll_votes IS 'Votes on poll options';
COMMENT ON COLUMN poll_votes.id IS 'Unique vote ID';
COMMENT ON COLUMN poll_votes.poll_id IS 'Poll being voted on';
COMMENT ON COLUMN poll_votes.user_id IS 'User who voted';
COMMENT ON COLUMN poll_votes.option_index IS 'Index of selected option (0-based)';
COMMENT ON COLUMN poll_votes.created_at IS 'Vote timestamp';
