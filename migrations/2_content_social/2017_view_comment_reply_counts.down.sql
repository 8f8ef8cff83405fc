-- 2017_view_comment_reply_counts (down): drops view comment_reply_counts.
DROP VIEW IF EXISTS comment_reply_counts;
