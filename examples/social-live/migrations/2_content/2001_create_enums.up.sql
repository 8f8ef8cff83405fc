-- 2001_create_enums: enum types media_type_enum, visibility_enum (used by posts) and
-- processing_status_enum (used by media_files) (003 "Enums and Custom Types").
-- Decision (spec README defect): created before the tables that use them (003 declares them last).
-- Decision: 003 "Posts Table / Field Descriptions" lists media types IMAGE, VIDEO, AUDIO and
--   visibilities PUBLIC, PRIVATE, FOLLOWERS_ONLY; the enum DDL adds DOCUMENT and UNLISTED. The
--   DDL (the fuller definition) wins; labels in 003's order.
CREATE TYPE media_type_enum AS ENUM ('IMAGE', 'VIDEO', 'AUDIO', 'DOCUMENT');

CREATE TYPE visibility_enum AS ENUM ('PUBLIC', 'PRIVATE', 'FOLLOWERS_ONLY', 'UNLISTED');

CREATE TYPE processing_status_enum AS ENUM ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED');
