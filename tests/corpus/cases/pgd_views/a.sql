-- Views: options (security_barrier, check_option), column defaults and comments, column
-- names given, views on views, a recursive view, a view using a function, updatable views.
CREATE TABLE node (id int PRIMARY KEY, parent_id int REFERENCES node, name text, hidden boolean DEFAULT false);
CREATE FUNCTION display(n text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT initcap(n) $$;
CREATE VIEW visible_node WITH (security_barrier = true) AS SELECT id, parent_id, name FROM node WHERE NOT hidden;
CREATE VIEW root_node (root_id, root_name) AS SELECT id, display(name) FROM visible_node WHERE parent_id IS NULL;
CREATE VIEW editable_node AS SELECT id, parent_id, name, hidden FROM node WHERE id > 0 WITH LOCAL CHECK OPTION;
ALTER VIEW editable_node ALTER COLUMN hidden SET DEFAULT true;
CREATE RECURSIVE VIEW node_path (id, path) AS
    SELECT id, ARRAY[id] FROM node WHERE parent_id IS NULL
    UNION ALL
    SELECT n.id, p.path || n.id FROM node n JOIN node_path p ON n.parent_id = p.id;
CREATE VIEW node_depth AS SELECT id, cardinality(path) AS depth FROM node_path;
COMMENT ON VIEW visible_node IS 'what users see';
COMMENT ON COLUMN visible_node.name IS 'shown as is';
COMMENT ON COLUMN root_node.root_name IS 'capitalised';
GRANT SELECT ON visible_node, root_node TO corpus_reader;
GRANT INSERT, UPDATE ON editable_node TO corpus_writer;
