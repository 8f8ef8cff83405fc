-- 1003_create_role_and_current_user_id (down): drops current_user_id() (and with it this
-- database's grant to authenticated_users), then drops the role authenticated_users only if
-- strata created it (its comment is strata's marker) and nothing in any database of the cluster
-- still depends on it and it has no memberships. Otherwise the role is kept (NOTICE): another
-- database still uses it, or it belongs to an administrator.
DROP FUNCTION current_user_id();

DO $$
DECLARE
    marker CONSTANT TEXT :=
        'strata:social-live:1003_create_role_and_current_user_id: created by strata; dropped by the down script of the last database that uses it';
    role_oid OID := (SELECT oid FROM pg_roles WHERE rolname = 'authenticated_users');
BEGIN
    IF role_oid IS NULL THEN
        RETURN;
    END IF;
    IF shobj_description(role_oid, 'pg_authid') IS DISTINCT FROM marker THEN
        RAISE NOTICE 'role authenticated_users was not created by strata: kept';
    ELSIF EXISTS (SELECT 1 FROM pg_shdepend
                  WHERE refclassid = 'pg_authid'::regclass AND refobjid = role_oid)
       OR EXISTS (SELECT 1 FROM pg_auth_members WHERE roleid = role_oid OR member = role_oid) THEN
        RAISE NOTICE 'role authenticated_users is still used (by another database, or has members): kept';
    ELSE
        DROP ROLE authenticated_users;
    END IF;
END
$$;
