-- 2004_create_pending_uploads (down): drops table pending_uploads.
DROP TABLE IF EXISTS pending_uploads;
