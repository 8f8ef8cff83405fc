-- 1003_create_users: table users with its constraints and comments (004 §1 "users").
-- Decision: 004 "Data Integrity / Email Constraints" names the e-mail unique constraint
--   users_email_unique, while the table DDL writes an anonymous inline UNIQUE (which
--   PostgreSQL would call users_email_key). The named form is used, once (no duplicate).
-- username keeps its anonymous inline UNIQUE (no document names it).
CREATE TABLE users (
    id                  BIGSERIAL PRIMARY KEY,
    username            VARCHAR(30) NOT NULL UNIQUE,
    email               VARCHAR(255) NOT NULL,
    email_verified      BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash       VARCHAR(255) NOT NULL,

    -- Account status: 'active', 'suspended', 'deleted'
    status              VARCHAR(20) NOT NULL DEFAULT 'active',

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    last_login_at       TIMESTAMPTZ,
    deleted_at          TIMESTAMPTZ,

    CONSTRAINT users_email_unique UNIQUE (email),
    CONSTRAINT users_username_length CHECK (LENGTH(username) BETWEEN 3 AND 30),
    CONSTRAINT users_username_format CHECK (username ~ '^[a-zA-Z0-9_]+$'),
    CONSTRAINT users_status_valid CHECK (status IN ('active', 'suspended', 'deleted'))
);

COMMENT ON TABLE users IS 'Core user accounts and authentication';
COMMENT ON COLUMN users.username IS 'Unique username, 3-30 alphanumeric + underscore';
COMMENT ON COLUMN users.email IS 'Unique email address for login and notifications';
COMMENT ON COLUMN users.status IS 'Account status: active, suspended, or soft-deleted';
