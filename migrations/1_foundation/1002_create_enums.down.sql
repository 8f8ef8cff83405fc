-- 1002_create_enums (down): drops the enum types created by the up script.
DROP TYPE IF EXISTS profile_visibility;
DROP TYPE IF EXISTS subscription_status;
