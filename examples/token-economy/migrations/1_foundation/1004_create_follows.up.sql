-- 1004_create_follows: table follows (000 "Follows: Social graph"), as written: an account
-- follows a page. The key columns are NOT NULL through the primary key.
CREATE TABLE follows (
    follower_account_id UUID REFERENCES accounts(account_id) ON DELETE CASCADE,
    following_page_id UUID REFERENCES pages(page_id) ON DELETE CASCADE,
    created_at TIMESTAMP DEFAULT NOW(),
    PRIMARY KEY (follower_account_id, following_page_id)
);

COMMENT ON TABLE follows IS 'Social graph: accounts following pages';
