-- 3001_create_enums (down): drops the enum types created by the up script.
DROP TYPE IF EXISTS filter_operator;
DROP TYPE IF EXISTS filter_type;
DROP TYPE IF EXISTS section_type;
