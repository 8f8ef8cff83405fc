-- Reference data (002 "Seeding Strategy", category 1): the subscription tiers signup needs.
-- Idempotent: safe to run on every deploy, in production too. The timestamps are fixed so
-- the data is the same wherever and whenever it is seeded.
INSERT INTO subscription_tiers (name, description, storage_bytes, price_monthly_cents, is_active, created_at, updated_at)
VALUES
    ('Free', '50MB storage - Perfect for getting started', 52428800, 0, TRUE, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('Basic', '1GB storage - For casual creators', 1073741824, 499, TRUE, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('Pro', '5GB storage - For serious creators', 5368709120, 999, TRUE, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('Premium', '10GB storage - For power users', 10737418240, 1499, TRUE, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
ON CONFLICT (name) DO NOTHING;
