-- 3001_create_enums: enum types of the features phase, as 002 "Phase 3" creates them:
-- section_type, filter_type, filter_operator (labels and order as in 004 §4-§5 and appendix).
CREATE TYPE section_type AS ENUM (
    'feed', 'gallery', 'links', 'static_text', 'static_image',
    'video', 'reposts', 'friends', 'followers', 'following', 'list'
);

CREATE TYPE filter_type AS ENUM ('post_type', 'author', 'tag', 'date_range', 'engagement');

CREATE TYPE filter_operator AS ENUM ('equals', 'not_equals', 'contains', 'greater_than', 'less_than', 'in_range');
