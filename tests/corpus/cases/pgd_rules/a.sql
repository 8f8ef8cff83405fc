-- Rules: DO INSTEAD and DO ALSO, NOTHING, conditions, rules on views, a disabled rule.
CREATE TABLE shoe (name text PRIMARY KEY, available int);
CREATE TABLE shoe_log (name text, available int, changed_at timestamptz DEFAULT now());
CREATE TABLE shoe_archive (name text, available int);
CREATE RULE shoe_log_update AS ON UPDATE TO shoe WHERE NEW.available <> OLD.available
    DO ALSO INSERT INTO shoe_log (name, available) VALUES (NEW.name, NEW.available);
CREATE RULE shoe_no_delete AS ON DELETE TO shoe WHERE OLD.available > 0 DO INSTEAD NOTHING;
CREATE RULE shoe_archive_insert AS ON INSERT TO shoe_archive DO INSTEAD NOTHING;
ALTER TABLE shoe_archive DISABLE RULE shoe_archive_insert;
CREATE VIEW shoe_ready AS SELECT name, available FROM shoe WHERE available > 0;
CREATE RULE shoe_ready_insert AS ON INSERT TO shoe_ready DO INSTEAD
    INSERT INTO shoe (name, available) VALUES (NEW.name, NEW.available);
COMMENT ON RULE shoe_log_update ON shoe IS 'audit stock changes';
