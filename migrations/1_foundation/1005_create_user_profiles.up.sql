-- 1005_create_user_profiles: table user_profiles (004 §1 "user_profiles"), one row per user,
-- deleted with its user (ON DELETE CASCADE).
-- The optional JSONB CHECK constraints of 002 "JSONB Validation Strategy" are added by
-- 1009_user_profiles_jsonb_checks so that they can be rolled back on their own.
CREATE TABLE user_profiles (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,

    display_name        VARCHAR(100),
    bio                 TEXT,
    age                 INTEGER,
    location            VARCHAR(100),
    website             VARCHAR(500),

    -- 'public', 'followers', 'private'
    visibility          VARCHAR(20) NOT NULL DEFAULT 'public',

    -- { type: 'color|image|video', value: '#hex|url', position: 'center|top|...' }
    background_config   JSONB NOT NULL DEFAULT '{}',
    -- { url: 'spotify/youtube/etc', autoplay: boolean, volume: 0-100 }
    music_config        JSONB,
    -- { font: 'font-name', primaryColor: '#hex', secondaryColor: '#hex', ... }
    style_config        JSONB NOT NULL DEFAULT '{}',
    -- { sections: [{id, type, order, config}, ...] }
    layout_config       JSONB NOT NULL DEFAULT '{"sections": []}',

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT user_profiles_visibility_valid CHECK (visibility IN ('public', 'followers', 'private')),
    CONSTRAINT user_profiles_age_valid CHECK (age IS NULL OR (age >= 13 AND age <= 120))
);

COMMENT ON TABLE user_profiles IS 'Extended user profile data and customization settings';
COMMENT ON COLUMN user_profiles.background_config IS 'JSONB config for profile background (color/image/music)';
COMMENT ON COLUMN user_profiles.style_config IS 'JSONB config for fonts, colors, and styling';
COMMENT ON COLUMN user_profiles.layout_config IS 'JSONB config for profile section layout';
