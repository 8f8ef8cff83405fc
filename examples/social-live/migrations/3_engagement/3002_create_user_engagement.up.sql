-- 3002_create_user_engagement: table user_engagement, range-partitioned by month on created_at,
-- its default partition and the two monthly partitions 003 names
-- (003 "Engagement & Analytics / User Engagement Table", "Performance Optimization /
-- Partitioning Strategy").
-- Decision (spec README defect): 003 creates monthly partitions OF user_engagement but declares
--   it as a plain table; it is declared PARTITION BY RANGE (created_at) here.
-- Decision (keys): a primary key or unique constraint of a partitioned table must contain the
--   partition key, so
--     * PRIMARY KEY (id)  becomes  PRIMARY KEY (id, created_at)  (user_engagement_pkey); id
--       stays practically unique (gen_random_uuid());
--     * UNIQUE (user_id, post_id, engagement_type) becomes
--       CONSTRAINT user_engagement_user_id_post_id_engagement_type_key
--           UNIQUE (user_id, post_id, engagement_type, created_at)
--       (the name PostgreSQL would give 003's constraint). On its own it would only forbid
--       duplicates with the same created_at, so 003's real rule, one engagement of each type per
--       user and post across all partitions, is enforced by the trigger of 3004 (which this
--       index serves). INVARIANTS.md re-checks it (user_engagement_unique_engagement).
--   created_at becomes NOT NULL (part of the primary key; a NULL partition key could not be
--   routed anyway). All other columns as written.
-- Decision (partitions): the default partition user_engagement_default catches rows outside
--   every monthly partition (so an insert never fails for want of a partition); the two
--   partitions 003 writes, user_engagement_2024_01 and user_engagement_2024_02, are created as
--   written so that its names exist. The rolling window of current/future months is created by
--   create_user_engagement_partitions() in 3003. Indexes on the parent are in 3007; they cascade
--   to every partition, present and future.
CREATE TABLE user_engagement (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id UUID NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    engagement_type engagement_type_enum NOT NULL,
    value DECIMAL(5,2) DEFAULT 1.0,
    metadata JSONB,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id, created_at),
    CONSTRAINT user_engagement_user_id_post_id_engagement_type_key
        UNIQUE (user_id, post_id, engagement_type, created_at)
) PARTITION BY RANGE (created_at);

COMMENT ON TABLE user_engagement IS
    'Engagement events (LIKE, SHARE, COMMENT, VIEW, CLICK, SAVE), partitioned by month on created_at; one row per (user_id, post_id, engagement_type), enforced by trigger user_engagement_unique_trigger';

CREATE TABLE user_engagement_default PARTITION OF user_engagement DEFAULT;

COMMENT ON TABLE user_engagement_default IS
    'Rows of user_engagement outside every monthly partition; create_user_engagement_partitions() moves them into the partition it creates for their month';

CREATE TABLE user_engagement_2024_01 PARTITION OF user_engagement
    FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');

CREATE TABLE user_engagement_2024_02 PARTITION OF user_engagement
    FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
