-- 1007_triggers_updated_at: trigger function update_updated_at_column() and triggers
-- update_accounts_updated_at, update_pages_updated_at (000 "FUNCTIONS & TRIGGERS / Update
-- updated_at timestamp", commented out in 000 and enabled here as the issue asks).
-- update_posts_updated_at is created with posts, in 2004.
-- Decision: CREATE FUNCTION instead of CREATE OR REPLACE (the down drops what the up created).
--   000 gives no updated_at trigger for comments (which has updated_at); none is invented.
CREATE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER update_accounts_updated_at BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER update_pages_updated_at BEFORE UPDATE ON pages
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
