DROP RULE shoe_no_delete ON shoe;
CREATE RULE shoe_no_delete AS ON DELETE TO shoe WHERE OLD.available > 10 DO INSTEAD NOTHING;
ALTER TABLE shoe_archive ENABLE RULE shoe_archive_insert;
CREATE OR REPLACE RULE shoe_log_update AS ON UPDATE TO shoe
    DO ALSO INSERT INTO shoe_log (name, available) VALUES (NEW.name, NEW.available);
CREATE RULE shoe_ready_delete AS ON DELETE TO shoe_ready DO INSTEAD DELETE FROM shoe WHERE name = OLD.name;
ALTER TABLE shoe_archive ENABLE ALWAYS RULE shoe_archive_insert;
ALTER TABLE shoe ADD COLUMN size numeric(3,1);
CREATE TABLE shoe_price (name text, price numeric);
CREATE RULE shoe_price_guard AS ON UPDATE TO shoe_price WHERE NEW.price < 0 DO INSTEAD NOTHING;
COMMENT ON RULE shoe_log_update ON shoe IS 'audit every update';
