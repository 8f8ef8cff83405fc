-- After a load with triggers off: compute in bulk, set-based, exactly what the triggers
-- would have kept row by row (2_content_social/2013..2015).
-- The post and comment counters (likes, comments, reposts, replies) are not here: the
-- load writes them, counted as the rows are generated (`count` columns in seeds.toml).

-- Room for the aggregates below; no JIT for these one-off statements (compiling costs more
-- than it saves at these sizes); and hash joins: without statistics yet on the fresh rows
-- the planner would probe row by row. (This transaction only; enable_nestloop goes back to
-- its default at the end.)
SET LOCAL work_mem = '64MB';
SET LOCAL jit = off;
SET LOCAL enable_nestloop = off;

-- Friendships: one ordered row per mutual follow, begun at the second follow, and numbered
-- in the order the trigger numbers them during a COPY: AFTER ROW triggers fire at the end
-- of the statement, in row order, so the pair's first follow makes the friendship.
INSERT INTO friendships (user_id_1, user_id_2, created_at)
SELECT a.follower_id, a.following_id, greatest(a.created_at, b.created_at)
FROM user_follows a
JOIN user_follows b ON b.follower_id = a.following_id AND b.following_id = a.follower_id
WHERE a.follower_id < a.following_id
ORDER BY least(a.id, b.id)
ON CONFLICT (user_id_1, user_id_2) DO NOTHING;

-- Storage usage per user and media type (gif and document count as other).
INSERT INTO storage_usage (user_id, used_bytes, images_bytes, videos_bytes, audio_bytes, other_bytes,
                           last_calculated_at, created_at, updated_at)
SELECT user_id,
       sum(file_size_bytes),
       coalesce(sum(file_size_bytes) FILTER (WHERE type = 'image'), 0),
       coalesce(sum(file_size_bytes) FILTER (WHERE type = 'video'), 0),
       coalesce(sum(file_size_bytes) FILTER (WHERE type = 'audio'), 0),
       coalesce(sum(file_size_bytes) FILTER (WHERE type NOT IN ('image', 'video', 'audio')), 0),
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM (SELECT user_id, type, file_size_bytes FROM post_media) m
GROUP BY user_id
ON CONFLICT (user_id) DO UPDATE SET
    used_bytes = storage_usage.used_bytes + EXCLUDED.used_bytes,
    images_bytes = storage_usage.images_bytes + EXCLUDED.images_bytes,
    videos_bytes = storage_usage.videos_bytes + EXCLUDED.videos_bytes,
    audio_bytes = storage_usage.audio_bytes + EXCLUDED.audio_bytes,
    other_bytes = storage_usage.other_bytes + EXCLUDED.other_bytes;

SET LOCAL enable_nestloop TO DEFAULT;
