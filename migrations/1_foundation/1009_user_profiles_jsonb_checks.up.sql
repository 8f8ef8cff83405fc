-- 1009_user_profiles_jsonb_checks: the two database-level JSONB CHECK constraints that 002
-- "JSONB Validation Strategy / Database-Level Validation (Optional)" names:
--   user_profiles_background_config_valid, user_profiles_style_color_valid.
-- Kept in their own migration (002 calls them optional) so they can be rolled back alone.
-- Decision (defect): written as in 002, user_profiles_background_config_valid rejects the
--   column's own default '{}' (004 §1 / 002 Step 4), so every profile inserted without a
--   background - 004 Appendix seed script, 002 "Phase 1 Validation" insert, which "should
--   succeed" - would fail. The constraint therefore also accepts the empty object '{}';
--   any non-empty background must still have 'type' in (color, image, video) and 'value'.
-- user_profiles_style_color_valid is exactly as 002 writes it.
ALTER TABLE user_profiles
ADD CONSTRAINT user_profiles_background_config_valid
CHECK (
    background_config = '{}'::jsonb OR (
        background_config ? 'type' AND
        background_config ? 'value' AND
        background_config->>'type' IN ('color', 'image', 'video')
    )
);

ALTER TABLE user_profiles
ADD CONSTRAINT user_profiles_style_color_valid
CHECK (
    style_config->>'primaryColor' IS NULL OR
    style_config->>'primaryColor' ~ '^#[0-9A-Fa-f]{6}$'
);
