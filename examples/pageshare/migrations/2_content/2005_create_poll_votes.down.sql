-- 2005_create_poll_votes (down): drops table poll_votes.
DROP TABLE poll_votes;
