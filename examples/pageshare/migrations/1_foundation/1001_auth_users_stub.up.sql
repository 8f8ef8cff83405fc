-- 1001_auth_users_stub: a minimal stand-in for Supabase's auth.users, created ONLY when absent.
-- Source: 001 §1 "users" declares users.id REFERENCES auth.users(id) ON DELETE CASCADE
--   ("Extends Supabase auth.users"). The auth schema exists only on Supabase; on plain
--   PostgreSQL the project must still apply (spec README, PageShare defects).
-- Decision: on Supabase (auth.users present) this migration changes nothing. Otherwise it
--   creates what is missing: the schema auth (if absent) and the table auth.users with the
--   single column the foreign key needs (id UUID PRIMARY KEY). Nothing else of Supabase's
--   auth.users is imitated; the application (or a test) inserts auth.users rows itself.
-- Decision (ownership marker): each object this script creates gets a COMMENT starting with
--   'strata:pageshare:1001_auth_users_stub'. The down script drops auth.users and the schema
--   auth only when they carry that exact comment, i.e. only when this migration created them.
--   A real Supabase auth schema/table never carries it, so a rollback never touches them.
DO $$
BEGIN
    IF to_regnamespace('auth') IS NULL THEN
        CREATE SCHEMA auth;
        COMMENT ON SCHEMA auth IS
            'strata:pageshare:1001_auth_users_stub: stand-in for the Supabase auth schema, created because it was absent; dropped by the down script';
    END IF;
    IF to_regclass('auth.users') IS NULL THEN
        CREATE TABLE auth.users (
            id UUID PRIMARY KEY
        );
        COMMENT ON TABLE auth.users IS
            'strata:pageshare:1001_auth_users_stub: minimal stand-in for Supabase auth.users (id only), created because it was absent; dropped by the down script';
    END IF;
END
$$;
