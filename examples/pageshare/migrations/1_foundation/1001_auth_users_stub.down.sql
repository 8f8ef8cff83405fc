-- 1001_auth_users_stub (down): drops auth.users and the schema auth, each ONLY if it carries the
-- ownership comment the up script writes (so: only if the up script created it). On Supabase
-- nothing is dropped. If someone else has put objects into a strata-created auth schema, the
-- schema is kept (with a NOTICE) rather than dropping their objects.
DO $$
DECLARE
    stub_table CONSTANT TEXT :=
        'strata:pageshare:1001_auth_users_stub: minimal stand-in for Supabase auth.users (id only), created because it was absent; dropped by the down script';
    stub_schema CONSTANT TEXT :=
        'strata:pageshare:1001_auth_users_stub: stand-in for the Supabase auth schema, created because it was absent; dropped by the down script';
BEGIN
    IF obj_description(to_regclass('auth.users'), 'pg_class') = stub_table THEN
        DROP TABLE auth.users;
    END IF;
    IF obj_description(to_regnamespace('auth'), 'pg_namespace') = stub_schema THEN
        IF EXISTS (SELECT 1 FROM pg_depend
                   WHERE refclassid = 'pg_namespace'::regclass
                     AND refobjid = to_regnamespace('auth')) THEN
            RAISE NOTICE 'schema auth was created by strata but now holds other objects: kept';
        ELSE
            DROP SCHEMA auth;
        END IF;
    END IF;
END
$$;
