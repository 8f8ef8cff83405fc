-- Views in dependency order that is not name order: a chain named backwards, a recursive
-- view, a view over a function over a view, a view using a table's whole-row reference.
CREATE TABLE t (id int PRIMARY KEY, parent int, v text);
CREATE VIEW z_base AS SELECT id, parent, v FROM t;
CREATE VIEW m_mid AS SELECT id, v FROM z_base WHERE v IS NOT NULL;
CREATE VIEW a_top AS SELECT m.id, upper(m.v) AS v FROM m_mid m;
CREATE RECURSIVE VIEW b_tree (id, depth) AS
    SELECT id, 0 FROM z_base WHERE parent IS NULL
    UNION ALL SELECT z.id, b.depth + 1 FROM z_base z JOIN b_tree b ON z.parent = b.id;
CREATE FUNCTION y_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM a_top $$;
CREATE VIEW c_summary AS SELECT y_count() AS n, (SELECT max(depth) FROM b_tree) AS depth;
CREATE VIEW d_rows AS SELECT t AS whole FROM t;
