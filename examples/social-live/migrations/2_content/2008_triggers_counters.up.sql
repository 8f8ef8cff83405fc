-- 2008_triggers_counters: the counter triggers of 003 "Update Counter Triggers" and
-- "Follower Count Triggers", as written:
--   update_user_posts_count()  + posts_count_trigger    AFTER INSERT OR DELETE ON posts
--   update_follower_counts()   + follower_count_trigger AFTER INSERT OR DELETE ON user_followers
-- Decision: CREATE FUNCTION instead of CREATE OR REPLACE (the down drops what the up created).
-- Notes (kept as written): posts_count counts post rows, so a soft delete (deleted_at) does not
--   decrement it; UPDATEs that change posts.user_id or a follow's ids are not tracked; the
--   counters are nullable in 003, and NULL + 1 stays NULL. INVARIANTS.md recounts all three.
CREATE FUNCTION update_user_posts_count()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE users SET posts_count = posts_count + 1 WHERE id = NEW.user_id;
        RETURN NEW;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE users SET posts_count = posts_count - 1 WHERE id = OLD.user_id;
        RETURN OLD;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER posts_count_trigger
    AFTER INSERT OR DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION update_user_posts_count();

CREATE FUNCTION update_follower_counts()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE users SET followers_count = followers_count + 1 WHERE id = NEW.following_id;
        UPDATE users SET following_count = following_count + 1 WHERE id = NEW.follower_id;
        RETURN NEW;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE users SET followers_count = followers_count - 1 WHERE id = OLD.following_id;
        UPDATE users SET following_count = following_count - 1 WHERE id = OLD.follower_id;
        RETURN OLD;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER follower_count_trigger
    AFTER INSERT OR DELETE ON user_followers
    FOR EACH ROW EXECUTE FUNCTION update_follower_counts();
