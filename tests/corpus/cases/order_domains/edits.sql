CREATE DOMAIN z_text AS text CHECK (VALUE <> '');
CREATE DOMAIN a_name AS z_text CHECK (length(VALUE) < 100);
CREATE TYPE a_person AS (name a_name, age a_top);
ALTER TABLE a_usage ADD COLUMN who a_person;
ALTER TABLE a_usage DROP COLUMN s;
DROP DOMAIN b_short_span;
DROP TYPE y_span;
ALTER DOMAIN a_top SET DEFAULT 2;
COMMENT ON DOMAIN m_middle IS 'under a thousand';
