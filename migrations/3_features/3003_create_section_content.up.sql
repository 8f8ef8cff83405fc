-- 3003_create_section_content: table section_content, content items of a (static) profile
-- section (004 §4 "section_content"); deleted with its section.
CREATE TABLE section_content (
    id                  BIGSERIAL PRIMARY KEY,
    section_id          BIGINT NOT NULL REFERENCES profile_sections(id) ON DELETE CASCADE,

    content_type        VARCHAR(50) NOT NULL,  -- 'text', 'link', 'image', 'embed'
    title               VARCHAR(200),
    content             TEXT,
    url                 VARCHAR(500),

    display_order       INTEGER NOT NULL DEFAULT 0,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE section_content IS 'Individual content items within static profile sections';
