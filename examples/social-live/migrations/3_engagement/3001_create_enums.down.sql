-- 3001_create_enums (down): drops enum type engagement_type_enum.
DROP TYPE engagement_type_enum;
