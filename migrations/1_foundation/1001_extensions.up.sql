-- 1001_extensions: the two extensions the VRSS schema enables
-- (004 Appendix "Complete Schema Creation Script": uuid-ossp, and pg_trgm "for fuzzy text search").
-- Decision: nothing in 004/002 calls a uuid-ossp function; pending_uploads.id uses the
-- built-in gen_random_uuid() exactly as 004 §Core Tables "pending_uploads" writes it.
-- The extensions are still created because the appendix names them.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
