-- 1001_extensions (down): drops pg_trgm and uuid-ossp, each only if its comment carries the
-- marker the up script writes (i.e. only if the up script created it).
DO $$
DECLARE
    ext TEXT;
BEGIN
    FOREACH ext IN ARRAY ARRAY['pg_trgm', 'uuid-ossp'] LOOP
        IF (SELECT obj_description(oid, 'pg_extension') FROM pg_extension WHERE extname = ext)
               LIKE '%[strata:token-economy:1001_extensions]' THEN
            EXECUTE format('DROP EXTENSION %I', ext);
        END IF;
    END LOOP;
END
$$;
