-- Operators over a type of our own (a domain cannot have operator classes, so a
-- composite type): the functions, operators with commutators and negators, selectivity
-- estimators, a btree and a hash operator class in their own families, an index that uses
-- them, and an index access method of our own (an existing handler under a new name).
CREATE TYPE version AS (major int, minor int);
CREATE FUNCTION version_cmp(a version, b version) RETURNS int LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT CASE WHEN a.major <> b.major THEN sign(a.major - b.major)::int ELSE sign(a.minor - b.minor)::int END $$;
CREATE FUNCTION version_lt(a version, b version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT version_cmp(a, b) < 0 $$;
CREATE FUNCTION version_le(a version, b version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT version_cmp(a, b) <= 0 $$;
CREATE FUNCTION version_eq(a version, b version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT version_cmp(a, b) = 0 $$;
CREATE FUNCTION version_ge(a version, b version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT version_cmp(a, b) >= 0 $$;
CREATE FUNCTION version_gt(a version, b version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT version_cmp(a, b) > 0 $$;
CREATE FUNCTION version_ne(a version, b version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT version_cmp(a, b) <> 0 $$;
CREATE FUNCTION version_hash(v version) RETURNS int LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT hashint8(v.major::bigint * 100000 + v.minor) $$;
CREATE OPERATOR < (LEFTARG = version, RIGHTARG = version, FUNCTION = version_lt, COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = version, RIGHTARG = version, FUNCTION = version_le, COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR = (LEFTARG = version, RIGHTARG = version, FUNCTION = version_eq, COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR >= (LEFTARG = version, RIGHTARG = version, FUNCTION = version_ge, COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR > (LEFTARG = version, RIGHTARG = version, FUNCTION = version_gt, COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR <> (LEFTARG = version, RIGHTARG = version, FUNCTION = version_ne, COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR FAMILY version_ops USING btree;
CREATE OPERATOR CLASS version_ops DEFAULT FOR TYPE version USING btree FAMILY version_ops AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 version_cmp(version, version);
CREATE OPERATOR CLASS version_hash_ops DEFAULT FOR TYPE version USING hash AS
    OPERATOR 1 =, FUNCTION 1 version_hash(version);
-- A prefix operator and one on built-in types.
CREATE FUNCTION text_shout(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(t) || '!' $$;
CREATE OPERATOR !! (RIGHTARG = text, FUNCTION = text_shout);
CREATE FUNCTION int_close(a int, b int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT abs(a - b) <= 1 $$;
CREATE OPERATOR ~~~ (LEFTARG = int, RIGHTARG = int, FUNCTION = int_close, COMMUTATOR = ~~~);
CREATE ACCESS METHOD gist_copy TYPE INDEX HANDLER gisthandler;
COMMENT ON ACCESS METHOD gist_copy IS 'gist under another name';
CREATE TABLE release (id int, v version, build int);
CREATE INDEX release_v ON release (v);
CREATE INDEX release_v_hash ON release USING hash (v);
COMMENT ON OPERATOR < (version, version) IS 'older than';
COMMENT ON OPERATOR CLASS version_ops USING btree IS 'version order';
