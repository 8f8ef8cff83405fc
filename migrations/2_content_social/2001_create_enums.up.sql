-- 2001_create_enums: enum types of the content & social phase, as 002 "Phase 2 /
-- Implementation Order / Step 1" creates them: post_type, post_status, media_type,
-- interaction_type (labels and order as in 004 §2-§3 and the 004 appendix).
-- profile_visibility (used by posts.visibility) is created in 1_foundation/1002_create_enums.
CREATE TYPE post_type AS ENUM (
    'text_short', 'text_long', 'image', 'image_gallery',
    'gif', 'video_short', 'video_long', 'song', 'album'
);

CREATE TYPE post_status AS ENUM ('draft', 'published', 'scheduled', 'deleted');

CREATE TYPE media_type AS ENUM ('image', 'gif', 'video', 'audio', 'document');

CREATE TYPE interaction_type AS ENUM ('like', 'bookmark', 'share');
