-- Plain inheritance: several parents, inherited and local constraints, NO INHERIT
-- constraints, columns merged from two parents, a child with its own columns.
CREATE TABLE item (id int NOT NULL, title text, created timestamptz DEFAULT now(),
    CONSTRAINT item_id_positive CHECK (id > 0),
    CONSTRAINT item_only_check CHECK (title <> 'x') NO INHERIT);
CREATE TABLE tagged (tags text[] DEFAULT '{}', title text);
CREATE TABLE book (isbn text UNIQUE) INHERITS (item);
CREATE TABLE film (minutes int CHECK (minutes > 0)) INHERITS (item, tagged);
CREATE TABLE leaflet () INHERITS (item);
CREATE INDEX book_title ON book (title);
COMMENT ON TABLE item IS 'anything in the catalogue';
