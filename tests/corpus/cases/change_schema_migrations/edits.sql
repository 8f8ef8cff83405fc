ALTER TABLE public.schema_migrations ADD COLUMN applied_at timestamptz DEFAULT now();
ALTER TABLE public.schema_migrations ALTER COLUMN version TYPE varchar(32);
CREATE INDEX schema_migrations_applied ON public.schema_migrations (applied_at);
ALTER TABLE migrate.schema_migrations ALTER COLUMN dirty SET DEFAULT false;
GRANT SELECT ON public.schema_migrations TO corpus_reader;
COMMENT ON TABLE public.schema_migrations IS 'Rails migrations';
ALTER TABLE public.ar_internal_metadata ALTER COLUMN value SET NOT NULL;
DROP TABLE migrate.schema_migrations;
ALTER TABLE public.widget ADD COLUMN price numeric;
