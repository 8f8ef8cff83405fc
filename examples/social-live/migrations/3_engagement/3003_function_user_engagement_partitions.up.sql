-- 3003_function_user_engagement_partitions: function create_user_engagement_partitions(months_ahead)
-- and one call of it, which create the rolling window of monthly partitions of user_engagement.
-- Decision (003 is silent on how partitions keep coming): migrations are static SQL, so the window
--   is made by a function. create_user_engagement_partitions(months_ahead INT) creates, if
--   missing, the partition user_engagement_YYYY_MM for the current month and for each of the next
--   months_ahead months; months are calendar months of now() in UTC (not of the session TimeZone),
--   bounds are [first day of month, first day of next month) on created_at. It returns how many
--   partitions it created. Rows already sitting in user_engagement_default for such a month are
--   moved into the new partition (PostgreSQL refuses to create the partition otherwise).
--   Operators call it again periodically (e.g. monthly from cron / pg_cron) to extend the window.
-- Decision (determinism): this migration calls it once with months_ahead = 3, i.e. the current
--   UTC month and the 3 following ones (4 partitions). Two databases migrated in the same UTC
--   calendar month therefore get identical catalogs; across a month boundary the window differs
--   by design (the partition names say which months exist).
-- Decision (ownership): each partition the function creates is marked with COMMENT ON TABLE
--   'strata:social-live:create_user_engagement_partitions'. The down script detaches every
--   partition carrying that mark (whether created by this migration's call or by a later call of
--   the function), moves its rows back through user_engagement (so they land in the default or a
--   2024 partition: a rollback loses no data), drops it, then drops the function. The default and
--   2024 partitions belong to 3002 and are untouched.
CREATE FUNCTION create_user_engagement_partitions(months_ahead INT)
RETURNS INT
LANGUAGE plpgsql
AS $$
DECLARE
    first_month DATE := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    month_start DATE;
    month_end DATE;
    part TEXT;
    parked JSONB;
    created INT := 0;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 THEN
        RAISE EXCEPTION 'months_ahead must be >= 0, got %', months_ahead;
    END IF;
    FOR i IN 0..months_ahead LOOP
        month_start := (first_month + make_interval(months => i))::date;
        month_end := (month_start + interval '1 month')::date;
        part := 'user_engagement_' || to_char(month_start, 'YYYY_MM');
        CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
        -- Rows of this month in the default partition would block the new partition: park them.
        WITH moved AS (
            DELETE FROM user_engagement_default
            WHERE created_at >= month_start AND created_at < month_end
            RETURNING *
        )
        SELECT jsonb_agg(to_jsonb(moved)) INTO parked FROM moved;
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF user_engagement FOR VALUES FROM (%L) TO (%L)',
            part, month_start::timestamp, month_end::timestamp);
        EXECUTE format(
            'COMMENT ON TABLE %I IS %L', part,
            'strata:social-live:create_user_engagement_partitions: monthly partition of user_engagement');
        IF parked IS NOT NULL THEN
            INSERT INTO user_engagement
            SELECT * FROM jsonb_populate_recordset(NULL::user_engagement, parked);
        END IF;
        created := created + 1;
    END LOOP;
    RETURN created;
END;
$$;

COMMENT ON FUNCTION create_user_engagement_partitions(INT) IS
    'Creates the monthly partitions of user_engagement for the current UTC month and the next months_ahead months (if missing); returns how many it created';

DO $$
BEGIN
    PERFORM create_user_engagement_partitions(3);
END
$$;
