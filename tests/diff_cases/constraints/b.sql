CREATE TABLE parents (id int, code text, PRIMARY KEY (id), CONSTRAINT parents_code_key UNIQUE (code) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE children (
  id int PRIMARY KEY,
  parent_id int REFERENCES parents(id) MATCH FULL ON DELETE SET NULL ON UPDATE CASCADE,
  qty int CHECK (qty >= 0),
  during tsrange,
  EXCLUDE USING gist (during WITH &&)
);
ALTER TABLE children ADD CONSTRAINT children_qty_max CHECK (qty < 1000);
ALTER TABLE children ADD CONSTRAINT children_parent_code FOREIGN KEY (parent_id) REFERENCES parents(id) NOT VALID;
