-- 1001_extensions: extensions uuid-ossp (uuid_generate_v4(), the default of every UUID key) and
-- pg_trgm ("For fuzzy text search") (000 "EXTENSION SETUP").
-- Decision: 000 writes CREATE EXTENSION IF NOT EXISTS, but a down script that then dropped the
--   extension would drop one that existed before (and that other objects may use). Each extension
--   is therefore created only when absent, and when this script creates it, it appends the marker
--   ' [strata:token-economy:1001_extensions]' to the extension's own comment. The down script
--   drops an extension only if its comment carries that marker, i.e. only if this migration
--   created it. Note: if uuid-ossp already exists in a schema that is not on the search_path
--   (e.g. Supabase's "extensions" schema), the uuid_generate_v4() defaults need that schema on
--   the search_path.
DO $$
DECLARE
    ext TEXT;
BEGIN
    FOREACH ext IN ARRAY ARRAY['uuid-ossp', 'pg_trgm'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = ext) THEN
            EXECUTE format('CREATE EXTENSION %I', ext);
            EXECUTE format('COMMENT ON EXTENSION %I IS %L', ext,
                COALESCE((SELECT obj_description(oid, 'pg_extension') FROM pg_extension WHERE extname = ext) || ' ', '')
                || '[strata:token-economy:1001_extensions]');
        END IF;
    END LOOP;
END
$$;
