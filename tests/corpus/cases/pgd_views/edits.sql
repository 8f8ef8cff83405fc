CREATE OR REPLACE VIEW visible_node WITH (security_barrier = false) AS
    SELECT id, parent_id, name, hidden FROM node WHERE NOT hidden;
ALTER VIEW editable_node ALTER COLUMN hidden DROP DEFAULT;
ALTER VIEW editable_node ALTER COLUMN name SET DEFAULT 'new node';
ALTER VIEW editable_node SET (check_option = cascaded);
DROP VIEW node_depth;
CREATE VIEW node_depth AS SELECT id, cardinality(path) AS depth, path[1] AS root_id FROM node_path;
COMMENT ON COLUMN visible_node.name IS NULL;
COMMENT ON COLUMN node_depth.depth IS 'from the root';
REVOKE SELECT ON root_node FROM corpus_reader;
ALTER VIEW root_node OWNER TO corpus_owner;
