-- 3003_create_section_content (down): drops table section_content.
DROP TABLE IF EXISTS section_content;
