-- A child made with INHERITS has the parent's columns and CHECK only as the parent's; a
-- team that takes it out of the hierarchy and puts it back (NO INHERIT, INHERIT) leaves
-- them defined by the child too. No DDL turns one into the other: strata must say so
-- (differences no statement can make), and the rest of the schema must still match.
CREATE TABLE measurement (id int NOT NULL, taken date, CONSTRAINT measurement_id_positive CHECK (id > 0));
CREATE TABLE measurement_2026 (note text) INHERITS (measurement);
CREATE INDEX measurement_2026_taken ON measurement_2026 (taken);
