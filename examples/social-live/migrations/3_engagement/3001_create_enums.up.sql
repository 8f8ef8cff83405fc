-- 3001_create_enums: enum type engagement_type_enum (003 "Enums and Custom Types"), used by
-- user_engagement. Created before its table (003 declares it after; spec README defect).
CREATE TYPE engagement_type_enum AS ENUM ('LIKE', 'SHARE', 'COMMENT', 'VIEW', 'CLICK', 'SAVE');
