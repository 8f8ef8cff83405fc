-- 2001_create_enums (down): drops the enum types created by the up script.
DROP TYPE IF EXISTS interaction_type;
DROP TYPE IF EXISTS media_type;
DROP TYPE IF EXISTS post_status;
DROP TYPE IF EXISTS post_type;
