-- 2014_triggers_friendship: create_friendship_on_mutual_follow() and trigger_create_friendship
-- AFTER INSERT ON user_follows (002 "Phase 2 Triggers", 004 §"Design Decisions 3" and appendix):
-- when the reverse follow exists, insert the (LEAST, GREATEST) pair into friendships,
-- idempotently (ON CONFLICT DO NOTHING on friendships_unique).
-- As 002 "Category 3" specifies, an unfollow does NOT remove the friendship (design decision
-- of the documents; there is no delete trigger).
CREATE FUNCTION create_friendship_on_mutual_follow()
RETURNS TRIGGER AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM user_follows
        WHERE follower_id = NEW.following_id
        AND following_id = NEW.follower_id
    ) THEN
        INSERT INTO friendships (user_id_1, user_id_2)
        VALUES (
            LEAST(NEW.follower_id, NEW.following_id),
            GREATEST(NEW.follower_id, NEW.following_id)
        )
        ON CONFLICT (user_id_1, user_id_2) DO NOTHING;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trigger_create_friendship
AFTER INSERT ON user_follows
FOR EACH ROW
EXECUTE FUNCTION create_friendship_on_mutual_follow();
