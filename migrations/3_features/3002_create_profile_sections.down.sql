-- 3002_create_profile_sections (down): drops table profile_sections.
DROP TABLE IF EXISTS profile_sections;
