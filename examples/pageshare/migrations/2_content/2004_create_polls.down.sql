-- 2004_create_polls (down): drops table polls.
DROP TABLE polls;
