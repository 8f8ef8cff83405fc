-- 3002_create_profile_sections: table profile_sections, user-defined sections of a profile
-- page (004 §4 "profile_sections").
CREATE TABLE profile_sections (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    type                section_type NOT NULL,
    title               VARCHAR(100) NOT NULL,
    description         TEXT,

    -- Type-specific config: filters, layout, display options
    config              JSONB NOT NULL DEFAULT '{}',

    display_order       INTEGER NOT NULL DEFAULT 0,
    is_visible          BOOLEAN NOT NULL DEFAULT TRUE,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT profile_sections_title_not_empty CHECK (LENGTH(TRIM(title)) > 0)
);

COMMENT ON TABLE profile_sections IS 'User-defined profile sections for customizable layouts';
COMMENT ON COLUMN profile_sections.config IS 'JSONB config specific to section type (filters, styling, etc)';
