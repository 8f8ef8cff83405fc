-- 2001_create_enums (down): drops the three enum types of the up script.
DROP TYPE processing_status_enum;
DROP TYPE visibility_enum;
DROP TYPE media_type_enum;
