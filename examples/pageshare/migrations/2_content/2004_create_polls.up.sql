-- 2004_create_polls: table polls (001 §10 "polls").
-- Note: 001 names the duration CHECK min_duration although it checks both bounds (1-7 days);
--   the name is kept. A poll's options must be 2-4 (min_options, max_options).
CREATE TABLE polls (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    post_id UUID REFERENCES posts(id) ON DELETE CASCADE,
    comment_id UUID REFERENCES comments(id) ON DELETE CASCADE,
    options TEXT[] NOT NULL,
    duration_days INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT poll_target CHECK (
        (post_id IS NOT NULL AND comment_id IS NULL) OR
        (post_id IS NULL AND comment_id IS NOT NULL)
    ),
    CONSTRAINT min_options CHECK (ARRAY_LENGTH(options, 1) >= 2),
    CONSTRAINT max_options CHECK (ARRAY_LENGTH(options, 1) <= 4),
    CONSTRAINT min_duration CHECK (duration_days > 0 AND duration_days <= 7)
);

COMMENT ON TABLE polls IS 'Polls attached to posts or comments';
COMMENT ON COLUMN polls.id IS 'Unique poll ID';
COMMENT ON COLUMN polls.post_id IS 'Post with poll (mutually exclusive with comment_id)';
COMMENT ON COLUMN polls.comment_id IS 'Comment with poll (mutually exclusive with post_id)';
COMMENT ON COLUMN polls.options IS 'Array of poll options (2-4 options)';
COMMENT ON COLUMN polls.duration_days IS 'Poll duration in days (1-7 days)';
COMMENT ON COLUMN polls.created_at IS 'Poll creation timestamp';
