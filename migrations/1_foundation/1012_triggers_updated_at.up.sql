-- 1012_triggers_updated_at: trigger function update_updated_at_column() (002 "Phase 1 Triggers",
-- 004 appendix) and a BEFORE UPDATE trigger on every foundation table that has updated_at.
--   update_users_updated_at, update_user_profiles_updated_at, update_storage_usage_updated_at:
--     named by 002 / 004.
--   update_subscription_tiers_updated_at, update_sessions_updated_at: not written out in the
--     documents, but 002 "Category 1" says "apply to all tables with updated_at"; named after
--     the documents' update_<table>_updated_at pattern.
-- Later phases reuse update_updated_at_column() for their own tables.
-- Decision: CREATE FUNCTION (not OR REPLACE) so that the down script only ever drops what
--   this migration created.
CREATE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER update_users_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER update_user_profiles_updated_at
    BEFORE UPDATE ON user_profiles
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER update_subscription_tiers_updated_at
    BEFORE UPDATE ON subscription_tiers
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER update_storage_usage_updated_at
    BEFORE UPDATE ON storage_usage
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER update_sessions_updated_at
    BEFORE UPDATE ON sessions
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();
