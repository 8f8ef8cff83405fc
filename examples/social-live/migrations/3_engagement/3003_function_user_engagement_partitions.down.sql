-- 3003_function_user_engagement_partitions (down): detaches every partition of user_engagement
-- that create_user_engagement_partitions() created (marked by its comment), moves its rows back
-- through user_engagement (into the default or a 2024 partition), drops it, then drops the
-- function.
DO $$
DECLARE
    part TEXT;
BEGIN
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'user_engagement'::regclass
          AND obj_description(c.oid, 'pg_class') =
              'strata:social-live:create_user_engagement_partitions: monthly partition of user_engagement'
        ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE user_engagement DETACH PARTITION %I', part);
        EXECUTE format('INSERT INTO user_engagement SELECT * FROM %I', part);
        EXECUTE format('DROP TABLE %I', part);
    END LOOP;
END
$$;

DROP FUNCTION create_user_engagement_partitions(INT);
