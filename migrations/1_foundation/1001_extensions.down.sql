-- 1001_extensions (down): drops the extensions created by the up script, reverse order.
DROP EXTENSION IF EXISTS "pg_trgm";
DROP EXTENSION IF EXISTS "uuid-ossp";
