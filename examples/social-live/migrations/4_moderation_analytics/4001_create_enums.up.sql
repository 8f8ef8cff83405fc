-- 4001_create_enums: enum types moderation_status_enum and content_type_enum
-- (003 "Enums and Custom Types"), used by content_moderation. Created before their table
-- (003 declares them after; spec README defect).
CREATE TYPE moderation_status_enum AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'FLAGGED');

CREATE TYPE content_type_enum AS ENUM ('POST', 'COMMENT', 'USER_PROFILE', 'MEDIA');
