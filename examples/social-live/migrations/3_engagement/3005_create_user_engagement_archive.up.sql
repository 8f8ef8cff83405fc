-- 3005_create_user_engagement_archive: table user_engagement_archive, used by 003 "Data Retention
-- Policies / Cleanup Procedures" (INSERT INTO user_engagement_archive SELECT * FROM
-- user_engagement WHERE created_at < ... - INTERVAL '1 year') but never created (spec README
-- defect).
-- Decision: the same seven columns as user_engagement, same names, types and order, so 003's
--   INSERT ... SELECT * runs unchanged; plus archived_at (last, DEFAULT CURRENT_TIMESTAMP, filled
--   in by that INSERT because SELECT * supplies only the first seven columns). Plain table, not
--   partitioned. PRIMARY KEY (id, created_at), the live table's key, so a row cannot be archived
--   twice. No (user_id, post_id, engagement_type) uniqueness: after archiving, a user may engage
--   again with the same post and that row may be archived later. Foreign keys to users and posts
--   with ON DELETE CASCADE, as in the live table (deleting a user removes their engagement
--   history too). No id default: ids come from user_engagement. Indexes in 3007.
CREATE TABLE user_engagement_archive (
    id UUID NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id UUID NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    engagement_type engagement_type_enum NOT NULL,
    value DECIMAL(5,2) DEFAULT 1.0,
    metadata JSONB,
    created_at TIMESTAMP NOT NULL,
    archived_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id, created_at)
);

COMMENT ON TABLE user_engagement_archive IS
    'Engagement rows older than one year, moved out of user_engagement by the retention job';
