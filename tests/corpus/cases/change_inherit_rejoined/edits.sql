ALTER TABLE measurement_2026 NO INHERIT measurement;
ALTER TABLE measurement_2026 INHERIT measurement;
ALTER TABLE measurement_2026 ADD COLUMN source text;
CREATE INDEX measurement_2026_source ON measurement_2026 (source);
COMMENT ON TABLE measurement_2026 IS 'readings of 2026';
