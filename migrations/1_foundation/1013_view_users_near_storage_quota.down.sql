-- 1013_view_users_near_storage_quota (down): drops view users_near_storage_quota.
DROP VIEW IF EXISTS users_near_storage_quota;
