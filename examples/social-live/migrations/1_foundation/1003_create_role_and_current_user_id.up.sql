-- 1003_create_role_and_current_user_id: the role authenticated_users and the function
-- current_user_id() that the RLS policy of user_sessions needs (003 "Security Considerations /
-- Row Level Security"); 003 uses both and creates neither (spec README defect).
-- Decision (current_user_id): the application identifies its user per transaction or session
--   with  SET [LOCAL] app.current_user_id = '<users.id>'  (a custom setting, no configuration
--   needed). current_user_id() returns that setting as a UUID, or NULL when it is unset or
--   empty, so that policies and the audit trigger (4008) deny/record "no user" rather than fail.
--   SQL function, STABLE (the setting cannot change within a statement).
-- Decision (role): roles are cluster-wide, so the role is created only when absent (DO block),
--   NOLOGIN (login roles of the application are granted membership in it). When this script
--   creates it, it marks it with COMMENT ON ROLE 'strata:social-live:...'. A concurrent creation
--   by another database's migration is tolerated.
-- Decision (role lifetime across databases): this script also GRANTs EXECUTE on
--   current_user_id() to the role. That grant is a dependency of the role recorded in this
--   database (pg_shdepend), so while any database has this migration applied the role is
--   visibly in use. The down script drops the role only if (a) it carries strata's comment, i.e.
--   strata created it, not an administrator, and (b) nothing in any database of the cluster
--   still depends on it (no pg_shdepend rows: grants, policies, ownership) and it has no
--   memberships. So the last database to roll back drops it; a role created by someone else is
--   never dropped. Running this migration requires CREATEROLE (or superuser) when the role is
--   absent.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated_users') THEN
        BEGIN
            CREATE ROLE authenticated_users NOLOGIN;
            COMMENT ON ROLE authenticated_users IS
                'strata:social-live:1003_create_role_and_current_user_id: created by strata; dropped by the down script of the last database that uses it';
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created meanwhile by the same migration in another database
        END;
    END IF;
END
$$;

CREATE FUNCTION current_user_id()
RETURNS UUID
LANGUAGE sql
STABLE
AS $$
    SELECT NULLIF(current_setting('app.current_user_id', true), '')::uuid
$$;

COMMENT ON FUNCTION current_user_id() IS
    'Id of the application user of this session/transaction: setting app.current_user_id as UUID, NULL when unset';

GRANT EXECUTE ON FUNCTION current_user_id() TO authenticated_users;
