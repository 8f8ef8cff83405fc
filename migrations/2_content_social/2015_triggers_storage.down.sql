-- 2015_triggers_storage (down): drops the two storage triggers, then their functions.
DROP TRIGGER IF EXISTS trigger_update_storage_delete ON post_media;
DROP TRIGGER IF EXISTS trigger_update_storage_insert ON post_media;
DROP FUNCTION IF EXISTS update_storage_on_media_delete();
DROP FUNCTION IF EXISTS update_storage_on_media_insert();
