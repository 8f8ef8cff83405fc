-- 1002_create_users: table users (003 "Core Tables / Users Table"), as written.
-- Notes: 003 leaves the counters (followers_count, following_count, posts_count) nullable with
--   DEFAULT 0; they are kept so. posts_count and followers_count/following_count are maintained
--   by the triggers of 2008. The timestamps are TIMESTAMP (without time zone) as written.
-- The inline UNIQUEs get PostgreSQL's names users_email_key and users_username_key; the
--   indexes idx_users_email and idx_users_username (1007) duplicate them and are created
--   because 003 names them.
CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) UNIQUE NOT NULL,
    username VARCHAR(50) UNIQUE NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    full_name VARCHAR(100),
    bio TEXT,
    profile_picture VARCHAR(500),
    role user_role DEFAULT 'USER',
    is_verified BOOLEAN DEFAULT FALSE,
    is_active BOOLEAN DEFAULT TRUE,
    followers_count INTEGER DEFAULT 0,
    following_count INTEGER DEFAULT 0,
    posts_count INTEGER DEFAULT 0,
    last_login_at TIMESTAMP,
    email_verified_at TIMESTAMP,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP
);

COMMENT ON TABLE users IS 'Platform users';
COMMENT ON COLUMN users.id IS 'Unique identifier (UUID)';
COMMENT ON COLUMN users.email IS 'User''s email address (unique, required)';
COMMENT ON COLUMN users.username IS 'Display username (unique, required)';
COMMENT ON COLUMN users.password_hash IS 'bcrypt hashed password';
COMMENT ON COLUMN users.role IS 'User role (USER, CREATOR, MODERATOR, ADMIN)';
COMMENT ON COLUMN users.is_verified IS 'Email verification status';
COMMENT ON COLUMN users.followers_count IS 'Cached follower count';
COMMENT ON COLUMN users.posts_count IS 'Cached post count';
