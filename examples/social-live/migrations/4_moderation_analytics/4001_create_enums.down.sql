-- 4001_create_enums (down): drops the two enum types of the up script.
DROP TYPE content_type_enum;
DROP TYPE moderation_status_enum;
