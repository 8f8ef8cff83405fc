-- 1008_trigger_reset_free_comments: trigger function reset_daily_free_comments() and trigger
-- reset_free_comments_on_update (000 "Reset daily free comments", commented out in 000 and
-- enabled here as the issue asks), body as written.
-- Decision: CREATE FUNCTION instead of CREATE OR REPLACE (the down drops what the up created).
-- Notes (kept as written, see OBJECTS.md "Decisions"): the reset happens on the first UPDATE of
--   the account on a new day (CURRENT_DATE of the session's TimeZone); if that same UPDATE also
--   decrements daily_comments_free_remaining, the decrement is overwritten by the reset to 2, so
--   the application should touch the account (e.g. last_active_at) before spending a free
--   comment. BEFORE UPDATE triggers fire in name order: reset_free_comments_on_update runs before
--   update_accounts_updated_at.
CREATE FUNCTION reset_daily_free_comments()
RETURNS TRIGGER AS $$
BEGIN
    IF NEW.daily_comments_reset_at < CURRENT_DATE THEN
        NEW.daily_comments_free_remaining = 2;
        NEW.daily_comments_reset_at = CURRENT_DATE;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reset_free_comments_on_update BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION reset_daily_free_comments();
