-- 3010_triggers_updated_at (down): drops the four triggers (the function belongs to 1012).
DROP TRIGGER IF EXISTS update_user_lists_updated_at ON user_lists;
DROP TRIGGER IF EXISTS update_custom_feeds_updated_at ON custom_feeds;
DROP TRIGGER IF EXISTS update_section_content_updated_at ON section_content;
DROP TRIGGER IF EXISTS update_profile_sections_updated_at ON profile_sections;
