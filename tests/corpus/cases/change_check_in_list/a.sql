-- CHECK constraints, partial indexes and defaults written the way ORMs write them
-- (`col IN (…)` on varchar, casts of literals): the text PostgreSQL gives back for them
-- does not re-parse to the same expression, so comparing definitions as text never
-- settles.
CREATE TABLE run (
    id int PRIMARY KEY,
    status varchar(9) CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED')),
    stage varchar(20) DEFAULT 'active'::character varying,
    kind varchar(10)
);
CREATE INDEX run_live ON run (id) WHERE kind IN ('a', 'b');
ALTER TABLE run ADD CONSTRAINT run_stage CHECK (stage::text = ANY (ARRAY['active'::varchar, 'deleted'::varchar]::text[]));
