-- 3004_trigger_user_engagement_unique: trigger function enforce_user_engagement_unique() and
-- trigger user_engagement_unique_trigger, which keep 003's UNIQUE(user_id, post_id,
-- engagement_type) true across all partitions of user_engagement.
-- Decision (why a trigger): PostgreSQL cannot enforce a unique constraint on a partitioned table
--   unless it includes the partition key (created_at), and with created_at included it no longer
--   says "one engagement of each type per user and post" (see 3002). The trigger (BEFORE INSERT
--   OR UPDATE OF user_id, post_id, engagement_type, FOR EACH ROW; cloned to every partition)
--   takes a transaction-level advisory lock on the (user_id, post_id, engagement_type) key, so
--   concurrent inserts of the same key are serialized, then raises unique_violation (SQLSTATE
--   23505, constraint user_engagement_user_id_post_id_engagement_type_key) if another row
--   already has that key.
-- Limits (documented, not fixable by a trigger): under REPEATABLE READ a transaction's snapshot
--   may not see a row committed after it began, so two such transactions can still both insert
--   (READ COMMITTED, the default, and SERIALIZABLE are safe); INSERT ... ON CONFLICT
--   (user_id, post_id, engagement_type) is not available (no unique index on exactly those
--   columns): use ON CONFLICT DO NOTHING only together with this trigger's error, or check first.
--   Rows moved to user_engagement_archive are not checked against the live table.
CREATE FUNCTION enforce_user_engagement_unique()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(
        format('user_engagement|%s|%s|%s', NEW.user_id, NEW.post_id, NEW.engagement_type), 0));
    IF EXISTS (
        SELECT 1 FROM user_engagement e
        WHERE e.user_id = NEW.user_id
          AND e.post_id = NEW.post_id
          AND e.engagement_type = NEW.engagement_type
          AND NOT (TG_OP = 'UPDATE' AND e.id = OLD.id AND e.created_at = OLD.created_at)
    ) THEN
        RAISE EXCEPTION 'duplicate key value violates unique constraint "user_engagement_user_id_post_id_engagement_type_key"'
            USING ERRCODE = 'unique_violation',
                  DETAIL = format('Key (user_id, post_id, engagement_type)=(%s, %s, %s) already exists.',
                                  NEW.user_id, NEW.post_id, NEW.engagement_type),
                  CONSTRAINT = 'user_engagement_user_id_post_id_engagement_type_key',
                  TABLE = 'user_engagement';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER user_engagement_unique_trigger
    BEFORE INSERT OR UPDATE OF user_id, post_id, engagement_type ON user_engagement
    FOR EACH ROW EXECUTE FUNCTION enforce_user_engagement_unique();
