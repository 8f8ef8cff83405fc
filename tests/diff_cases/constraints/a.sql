CREATE TABLE parents (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE children (
  id int PRIMARY KEY,
  parent_id int REFERENCES parents(id),
  qty int CHECK (qty > 0),
  during tsrange
);
ALTER TABLE children ADD CONSTRAINT children_qty_max CHECK (qty < 1000) NOT VALID;
