-- Passwords and tokens with pgcrypto: defaults calling its functions, access.
CREATE TABLE public.login (id int PRIMARY KEY, pw text NOT NULL, salt text DEFAULT pgcrypto.gen_salt('bf'),
    token bytea DEFAULT pgcrypto.gen_random_bytes(32));
CREATE FUNCTION public.check_pw(l public.login, given text) RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT l.pw = pgcrypto.crypt(given, l.pw) $$;
COMMENT ON FUNCTION pgcrypto.gen_random_uuid() IS 'random UUID';
REVOKE EXECUTE ON FUNCTION pgcrypto.pgp_sym_decrypt(bytea, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pgcrypto.pgp_sym_decrypt(bytea, text) TO corpus_owner;
ALTER FUNCTION pgcrypto.digest(text, text) COST 20;
DROP FUNCTION pgcrypto.armor(bytea);
GRANT USAGE ON SCHEMA pgcrypto TO corpus_reader;
