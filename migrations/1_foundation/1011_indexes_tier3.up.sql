-- 1011_indexes_tier3: 002 "Index Implementation Strategy / Tier 3: Nice-to-Have" index on a
-- foundation table: idx_user_profiles_style_config_gin (GIN on JSONB; also 004 "JSONB Indexes").
-- Kept apart from 1010_indexes so the tier can be rolled back on its own.
CREATE INDEX idx_user_profiles_style_config_gin
    ON user_profiles USING GIN(style_config);
