-- 2005_trigger_comment_count (down): drops trigger maintain_comment_count, then its function.
DROP TRIGGER maintain_comment_count ON comments;
DROP FUNCTION update_post_comment_count();
