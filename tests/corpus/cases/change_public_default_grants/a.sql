-- Objects whose creation gives PUBLIC privileges (EXECUTE on functions and procedures,
-- USAGE on types, domains and languages), with those defaults revoked or kept: a script
-- that creates them must revoke what the expected side revoked.
CREATE FUNCTION kept_public() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION revoked_public() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;
REVOKE EXECUTE ON FUNCTION revoked_public() FROM PUBLIC;
CREATE FUNCTION revoked_granted() RETURNS int LANGUAGE sql AS $$ SELECT 3 $$;
REVOKE ALL ON FUNCTION revoked_granted() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION revoked_granted() TO corpus_reader;
CREATE PROCEDURE revoked_proc() LANGUAGE sql AS $$ SELECT 1 $$;
REVOKE EXECUTE ON PROCEDURE revoked_proc() FROM PUBLIC;
CREATE TYPE revoked_type AS ENUM ('a');
REVOKE USAGE ON TYPE revoked_type FROM PUBLIC;
CREATE DOMAIN revoked_domain AS int;
REVOKE USAGE ON DOMAIN revoked_domain FROM PUBLIC;
CREATE SCHEMA granted_schema;
GRANT USAGE ON SCHEMA granted_schema TO PUBLIC;
