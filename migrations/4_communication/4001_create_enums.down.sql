-- 4001_create_enums (down): drops notification_type.
DROP TYPE IF EXISTS notification_type;
