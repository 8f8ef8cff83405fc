-- 2005_create_media_files: table media_files (003 "Content Management / Media Files Table").
CREATE TABLE media_files (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    filename VARCHAR(255) NOT NULL,
    original_name VARCHAR(255),
    mime_type VARCHAR(100),
    file_size BIGINT,
    width INTEGER,
    height INTEGER,
    duration INTEGER,
    storage_path VARCHAR(500) NOT NULL,
    cdn_url VARCHAR(500),
    processing_status processing_status_enum DEFAULT 'PENDING',
    metadata JSONB,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

COMMENT ON TABLE media_files IS 'Uploaded media files and their processing state';
COMMENT ON COLUMN media_files.duration IS 'For videos/audio, in seconds';
