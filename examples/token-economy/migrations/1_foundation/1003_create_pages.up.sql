-- 1003_create_pages: table pages (000 "Pages: User identity (MVP: 1 per account)"), as written.
-- Note: the inline UNIQUE on username (pages_username_key) and the unique index
--   idx_pages_username on LOWER(username) (1006) overlap, since chk_username_format already
--   forces lower case; both are kept because 000 writes both.
CREATE TABLE pages (
    page_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    account_id UUID NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    -- Identity
    username VARCHAR(30) UNIQUE NOT NULL,
    display_name VARCHAR(100) NOT NULL,
    bio TEXT,
    avatar_url VARCHAR(500),
    -- Status
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    is_primary BOOLEAN NOT NULL DEFAULT TRUE,
    -- Stats
    followers_count INT NOT NULL DEFAULT 0,
    posts_count INT NOT NULL DEFAULT 0,
    total_tokens_earned DECIMAL(12, 2) NOT NULL DEFAULT 0,
    -- Metadata
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT chk_username_format CHECK (username ~ '^[a-z0-9_]{3,30}$'),
    CONSTRAINT chk_bio_length CHECK (LENGTH(bio) <= 500)
);

COMMENT ON TABLE pages IS 'User identity (MVP: 1 per account)';
COMMENT ON COLUMN pages.is_primary IS 'MVP: always true';
