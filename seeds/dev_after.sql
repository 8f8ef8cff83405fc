-- Development data, last step (002 "Media Files: storage usage: 2 users near quota limit"):
-- the two users with the most media are on a quota they have nearly filled (92 %).
ALTER TABLE storage_usage DISABLE TRIGGER USER;
UPDATE storage_usage
SET quota_bytes = (used_bytes * 100) / 92
WHERE user_id IN (SELECT user_id FROM storage_usage WHERE used_bytes > 0 ORDER BY used_bytes DESC, user_id LIMIT 2);
ALTER TABLE storage_usage ENABLE TRIGGER USER;
