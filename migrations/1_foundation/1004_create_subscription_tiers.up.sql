-- 1004_create_subscription_tiers: table subscription_tiers (004 §8 "subscription_tiers";
-- 002 Phase 1 Step 3 creates it before user_profiles, so it comes before it here).
-- Decision: the tier rows (Free/Basic/Pro/Premium, 004 Appendix "Seed Data Script" and
--   002 "Seeding Strategy") are seed data, not schema: no INSERT here.
CREATE TABLE subscription_tiers (
    id                  BIGSERIAL PRIMARY KEY,

    name                VARCHAR(50) NOT NULL UNIQUE,
    description         TEXT,

    storage_bytes       BIGINT NOT NULL,
    price_monthly_cents INTEGER NOT NULL,

    is_active           BOOLEAN NOT NULL DEFAULT TRUE,

    created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT subscription_tiers_storage_positive CHECK (storage_bytes > 0),
    CONSTRAINT subscription_tiers_price_positive CHECK (price_monthly_cents >= 0)
);

COMMENT ON TABLE subscription_tiers IS 'Available subscription tiers and pricing';
COMMENT ON COLUMN subscription_tiers.price_monthly_cents IS 'Price in cents (e.g., 999 = $9.99)';
