-- 1001_create_enums: enum type user_role (003 "Enums and Custom Types / User Role Enum").
-- Decision (spec README defect): 003 declares its enum types after the tables that use them;
--   every enum is created in its own migration before the first table that needs it
--   (user_role here, for users; the others in 2001, 3001 and 4001).
-- Decision: 003 "Users Table / Field Descriptions" lists the roles as USER, CREATOR, ADMIN;
--   the enum DDL has USER, CREATOR, MODERATOR, ADMIN. The DDL (the fuller definition) wins.
CREATE TYPE user_role AS ENUM ('USER', 'CREATOR', 'MODERATOR', 'ADMIN');
