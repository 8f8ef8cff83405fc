-- 2015_triggers_storage: storage tracking on post_media (002 "Phase 2 Triggers", 004 appendix):
--   update_storage_on_media_insert() / trigger_update_storage_insert (AFTER INSERT) and
--   update_storage_on_media_delete() / trigger_update_storage_delete (AFTER DELETE).
-- Bytes are added to used_bytes and to images_bytes / videos_bytes / audio_bytes by media type;
-- 'gif' and 'document' go to other_bytes. Decrements never go below zero.
-- Decision (defect): 004 §"Design Decisions 7" has an insert trigger that only UPDATEs
--   storage_usage, which silently does nothing for a user without a storage_usage row. The
--   UPSERT version of 002 and the 004 appendix (INSERT ... ON CONFLICT (user_id) DO UPDATE)
--   is used, so the row is created on a user's first upload.
-- Note: an UPDATE of post_media.file_size_bytes/type/user_id is not tracked (none in the
--   documents; they rely on the periodic recalculation of 004 "Storage Calculation").
CREATE FUNCTION update_storage_on_media_insert()
RETURNS TRIGGER AS $$
BEGIN
    INSERT INTO storage_usage (user_id, used_bytes, images_bytes, videos_bytes, audio_bytes, other_bytes)
    VALUES (
        NEW.user_id,
        NEW.file_size_bytes,
        CASE WHEN NEW.type = 'image' THEN NEW.file_size_bytes ELSE 0 END,
        CASE WHEN NEW.type = 'video' THEN NEW.file_size_bytes ELSE 0 END,
        CASE WHEN NEW.type = 'audio' THEN NEW.file_size_bytes ELSE 0 END,
        CASE WHEN NEW.type NOT IN ('image', 'video', 'audio') THEN NEW.file_size_bytes ELSE 0 END
    )
    ON CONFLICT (user_id) DO UPDATE
    SET
        used_bytes = storage_usage.used_bytes + NEW.file_size_bytes,
        images_bytes = storage_usage.images_bytes + CASE WHEN NEW.type = 'image' THEN NEW.file_size_bytes ELSE 0 END,
        videos_bytes = storage_usage.videos_bytes + CASE WHEN NEW.type = 'video' THEN NEW.file_size_bytes ELSE 0 END,
        audio_bytes = storage_usage.audio_bytes + CASE WHEN NEW.type = 'audio' THEN NEW.file_size_bytes ELSE 0 END,
        other_bytes = storage_usage.other_bytes + CASE WHEN NEW.type NOT IN ('image', 'video', 'audio') THEN NEW.file_size_bytes ELSE 0 END,
        updated_at = NOW();

    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trigger_update_storage_insert
AFTER INSERT ON post_media
FOR EACH ROW
EXECUTE FUNCTION update_storage_on_media_insert();

CREATE FUNCTION update_storage_on_media_delete()
RETURNS TRIGGER AS $$
BEGIN
    UPDATE storage_usage
    SET
        used_bytes = GREATEST(used_bytes - OLD.file_size_bytes, 0),
        images_bytes = GREATEST(images_bytes - CASE WHEN OLD.type = 'image' THEN OLD.file_size_bytes ELSE 0 END, 0),
        videos_bytes = GREATEST(videos_bytes - CASE WHEN OLD.type = 'video' THEN OLD.file_size_bytes ELSE 0 END, 0),
        audio_bytes = GREATEST(audio_bytes - CASE WHEN OLD.type = 'audio' THEN OLD.file_size_bytes ELSE 0 END, 0),
        other_bytes = GREATEST(other_bytes - CASE WHEN OLD.type NOT IN ('image', 'video', 'audio') THEN OLD.file_size_bytes ELSE 0 END, 0),
        updated_at = NOW()
    WHERE user_id = OLD.user_id;

    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trigger_update_storage_delete
AFTER DELETE ON post_media
FOR EACH ROW
EXECUTE FUNCTION update_storage_on_media_delete();
