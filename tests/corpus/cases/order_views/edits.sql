DROP VIEW c_summary;
DROP VIEW a_top;
CREATE VIEW a_top AS SELECT m.id, lower(m.v) AS v, length(m.v) AS len FROM m_mid m;
CREATE VIEW c_summary AS SELECT y_count() AS n, (SELECT max(depth) FROM b_tree) AS depth, (SELECT max(len) FROM a_top) AS longest;
ALTER TABLE t ADD COLUMN extra int;
DROP VIEW d_rows;
CREATE VIEW d_rows AS SELECT t AS whole, extra FROM t;
CREATE VIEW e_on_summary AS SELECT n * 2 AS twice FROM c_summary;
CREATE OR REPLACE VIEW m_mid AS SELECT id, v FROM z_base WHERE v IS NOT NULL AND id > 0;
