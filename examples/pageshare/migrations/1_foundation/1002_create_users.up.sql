-- 1002_create_users: table users with its constraints and comments (001 §1 "users").
-- Its foreign key targets auth.users: Supabase's own table, or the stand-in of 1001 on plain
--   PostgreSQL.
-- Note: the UNIQUE on username gets PostgreSQL's name users_username_key; 001 names none.
--   idx_users_username (1006) duplicates its index; it is created because 001 names it.
CREATE TABLE users (
    id UUID PRIMARY KEY REFERENCES auth.users(id) ON DELETE CASCADE,
    username VARCHAR(50) UNIQUE NOT NULL,
    display_name VARCHAR(100) NOT NULL,
    bio TEXT,
    profile_picture_url TEXT,
    badge VARCHAR(20) CHECK (badge IN ('Verified', 'Public')),
    date_of_birth DATE,
    timezone VARCHAR(50),
    country VARCHAR(100),
    country_code VARCHAR(2),
    ip_address_hash VARCHAR(64),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    last_active_at TIMESTAMPTZ,
    deleted_at TIMESTAMPTZ,

    CONSTRAINT username_format CHECK (username ~ '^[a-z0-9_]{3,50}$'),
    CONSTRAINT username_lowercase CHECK (username = LOWER(username))
);

COMMENT ON TABLE users IS 'User profiles: extends Supabase auth.users with additional profile information';
COMMENT ON COLUMN users.id IS 'UUID from Supabase auth.users';
COMMENT ON COLUMN users.username IS 'Unique lowercase username (3-50 chars, alphanumeric + underscore)';
COMMENT ON COLUMN users.display_name IS 'User''s display name';
COMMENT ON COLUMN users.bio IS 'User biography';
COMMENT ON COLUMN users.profile_picture_url IS 'URL to profile picture (Google OAuth or Supabase Storage)';
COMMENT ON COLUMN users.badge IS 'User badge (Verified, Public)';
COMMENT ON COLUMN users.date_of_birth IS 'Optional date of birth';
COMMENT ON COLUMN users.timezone IS 'IANA timezone (e.g., "America/New_York")';
COMMENT ON COLUMN users.country IS 'Country name from IP geolocation';
COMMENT ON COLUMN users.country_code IS 'ISO 3166-1 alpha-2 country code (e.g., "US")';
COMMENT ON COLUMN users.ip_address_hash IS 'SHA-256 hash of IP address (privacy)';
COMMENT ON COLUMN users.created_at IS 'Account creation timestamp';
COMMENT ON COLUMN users.updated_at IS 'Last update timestamp';
COMMENT ON COLUMN users.last_active_at IS 'Last activity timestamp (for DAU/MAU metrics)';
COMMENT ON COLUMN users.deleted_at IS 'Soft delete timestamp';
