-- 1013_view_users_near_storage_quota: view users_near_storage_quota, the recurring
-- "find users near limit" query of 004 "Storage Management / Storage Warnings"
-- (at or above 80% of the quota and not yet over it).
-- The view name is ours: the documents give the query but no name.
CREATE VIEW users_near_storage_quota AS
SELECT user_id, used_bytes, quota_bytes,
       ROUND(100.0 * used_bytes / quota_bytes, 2) AS usage_percent
FROM storage_usage
WHERE used_bytes >= quota_bytes * 0.8
AND used_bytes < quota_bytes;

COMMENT ON VIEW users_near_storage_quota IS 'Users using 80% or more of their storage quota but not over it (004 Storage Warnings)';
