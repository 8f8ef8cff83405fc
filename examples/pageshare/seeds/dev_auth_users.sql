-- Development data, first step: the auth.users rows the generated users point at
-- (users.id REFERENCES auth.users(id)). On Supabase these are the sign-ups; here they go into
-- Supabase's table or the stand-in of migration 1001 alike (only the id column is written).
-- The ids are the ones seeds.toml gives users 1-30: 00000001-0000-4000-8000-0000000000NN.
-- Idempotent.
INSERT INTO auth.users (id)
SELECT ('00000001-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid
FROM generate_series(1, 30) AS n
ON CONFLICT (id) DO NOTHING;
