-- 1001_create_enums (down): drops enum type user_role.
DROP TYPE user_role;
