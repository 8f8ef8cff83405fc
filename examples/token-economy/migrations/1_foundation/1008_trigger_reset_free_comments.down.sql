-- 1008_trigger_reset_free_comments (down): drops the trigger, then reset_daily_free_comments().
DROP TRIGGER reset_free_comments_on_update ON accounts;
DROP FUNCTION reset_daily_free_comments();
