-- 2005_trigger_comment_count: trigger function update_post_comment_count() and trigger
-- maintain_comment_count on comments (000 "Maintain comment count on posts", commented out in
-- 000 and enabled here as the issue asks).
-- Rule (000's): posts.comments_count = number of the post's comments with deleted_at IS NULL.
--   000's three cases are kept: a live comment inserted adds 1, a soft delete (deleted_at set)
--   subtracts 1, an undelete adds 1.
-- Decision (000's trigger is incomplete for its own rule): it is AFTER INSERT OR UPDATE only, so
--   a hard DELETE of a live comment (directly, or by the ON DELETE CASCADE from a parent comment,
--   a page or an account) would leave the count too high, and moving a comment to another post
--   would count it on the wrong post. The function therefore also handles DELETE (a live comment
--   removed subtracts 1 from OLD.post_id) and a change of post_id (subtract from the old post,
--   add to the new one); the trigger is AFTER INSERT OR DELETE OR UPDATE OF post_id, deleted_at,
--   so UPDATEs that cannot change the count (content edits) do not fire it. The trigger keeps
--   000's name; the function keeps 000's name. CREATE FUNCTION instead of CREATE OR REPLACE.
CREATE FUNCTION update_post_comment_count()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.deleted_at IS NULL THEN
        UPDATE posts
        SET comments_count = comments_count + 1
        WHERE post_id = NEW.post_id;
    ELSIF TG_OP = 'DELETE' AND OLD.deleted_at IS NULL THEN
        UPDATE posts
        SET comments_count = comments_count - 1
        WHERE post_id = OLD.post_id;
    ELSIF TG_OP = 'UPDATE' AND OLD.post_id IS DISTINCT FROM NEW.post_id THEN
        IF OLD.deleted_at IS NULL THEN
            UPDATE posts
            SET comments_count = comments_count - 1
            WHERE post_id = OLD.post_id;
        END IF;
        IF NEW.deleted_at IS NULL THEN
            UPDATE posts
            SET comments_count = comments_count + 1
            WHERE post_id = NEW.post_id;
        END IF;
    ELSIF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN
        UPDATE posts
        SET comments_count = comments_count - 1
        WHERE post_id = NEW.post_id;
    ELSIF TG_OP = 'UPDATE' AND OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN
        UPDATE posts
        SET comments_count = comments_count + 1
        WHERE post_id = NEW.post_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER maintain_comment_count
    AFTER INSERT OR DELETE OR UPDATE OF post_id, deleted_at ON comments
    FOR EACH ROW EXECUTE FUNCTION update_post_comment_count();
