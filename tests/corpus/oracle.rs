//! Checks of the oracle on real pg_dump output: one schema built in two different orders
//! compares equal, and a copy that differs in one grant, default, index, column place,
//! access method, function body or constraint compares unequal — so the normalising cannot
//! hide the differences the round trips look for.

use crate::dump::difference;
use crate::server::{self, Db};

const BASE: &[&str] = &[
    "CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler",
    "CREATE TABLE t (id int PRIMARY KEY, name text DEFAULT 'x', n int)",
    "CREATE INDEX t_name ON t (name)",
    "CREATE TABLE u (id int, t_id int REFERENCES t)",
    "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nbegin\n-- one\nreturn 1;\nend $$",
    "CREATE VIEW v AS SELECT id, name FROM t",
    "GRANT SELECT ON t TO corpus_reader",
];

/// One change each, applied to BASE; every one must show in the comparison.
pub const VARIANTS: &[(&str, &str, &str)] = &[
    (
        "grant",
        "GRANT SELECT ON t TO corpus_reader",
        "GRANT SELECT, INSERT ON t TO corpus_reader",
    ),
    (
        "grant_option",
        "GRANT SELECT ON t TO corpus_reader",
        "GRANT SELECT ON t TO corpus_reader WITH GRANT OPTION",
    ),
    (
        "grantor",
        "GRANT SELECT ON t TO corpus_reader",
        "GRANT SELECT ON t TO corpus_owner WITH GRANT OPTION; SET ROLE corpus_owner; \
         GRANT SELECT ON t TO corpus_reader; RESET ROLE",
    ),
    (
        "column_grant",
        "GRANT SELECT ON t TO corpus_reader",
        "GRANT SELECT ON t TO corpus_reader; GRANT UPDATE (name) ON t TO corpus_writer",
    ),
    (
        "default",
        "CREATE TABLE t (id int PRIMARY KEY, name text DEFAULT 'x', n int)",
        "CREATE TABLE t (id int PRIMARY KEY, name text DEFAULT 'y', n int)",
    ),
    (
        "index",
        "CREATE INDEX t_name ON t (name)",
        "CREATE INDEX t_name ON t (name, n)",
    ),
    (
        "unique_index",
        "CREATE INDEX t_name ON t (name)",
        "CREATE UNIQUE INDEX t_name ON t (name)",
    ),
    (
        "column_order",
        "CREATE TABLE t (id int PRIMARY KEY, name text DEFAULT 'x', n int)",
        "CREATE TABLE t (id int PRIMARY KEY, n int, name text DEFAULT 'x')",
    ),
    (
        "column_moved",
        "CREATE TABLE u (id int, t_id int REFERENCES t)",
        "CREATE TABLE u (id int, t_id int REFERENCES t, n int); ALTER TABLE t DROP COLUMN n",
    ),
    (
        "access_method",
        "CREATE TABLE u (id int, t_id int REFERENCES t)",
        "CREATE TABLE u (id int, t_id int REFERENCES t) USING heap2",
    ),
    ("body_comment", "-- one", "-- two"),
    (
        "function_revoke",
        "CREATE VIEW v AS SELECT id, name FROM t",
        "CREATE VIEW v AS SELECT id, name FROM t; REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC",
    ),
    (
        "fk_action",
        "t_id int REFERENCES t)",
        "t_id int REFERENCES t ON DELETE CASCADE)",
    ),
    (
        "comment",
        "CREATE VIEW v AS SELECT id, name FROM t",
        "CREATE VIEW v AS SELECT id, name FROM t; COMMENT ON VIEW v IS 'names'",
    ),
];

fn build(statements: &[String], tag: &str) -> Result<Db, String> {
    let db = Db::new(tag, None)?;
    let sql = statements.join(";\n") + ";\n";
    server::psql(&db, &sql, "oracle.sql")?;
    Ok(db)
}

fn base() -> Vec<String> {
    BASE.iter().map(|s| s.to_string()).collect()
}

/// The same schema made in another order compares equal.
pub fn same_schema_other_order() -> Result<(), String> {
    let a = build(&base(), "oracle_a")?;
    // Another order that keeps dependencies first: the function, then t, u, the grant, the
    // view, the index.
    let order = [0, 4, 1, 3, 6, 5, 2];
    let reordered: Vec<String> = order.iter().map(|&i| base()[i].clone()).collect();
    let b = build(&reordered, "oracle_b")?;
    match difference(&server::dump(&a)?, &server::dump(&b)?, 40) {
        None => Ok(()),
        Some(d) => Err(format!("the same schema compares unequal: {d}")),
    }
}

/// A copy differing in one thing compares unequal.
pub fn variant(name: &str) -> Result<(), String> {
    let (_, from, to) = VARIANTS
        .iter()
        .find(|v| v.0 == name)
        .ok_or_else(|| format!("no variant {name}"))?;
    let changed: Vec<String> = base().iter().map(|s| s.replace(from, to)).collect();
    if changed == base() {
        return Err(format!("variant {name} changes nothing in the base schema"));
    }
    let a = build(&base(), "oracle_base")?;
    let b = build(&changed, &format!("oracle_{name}"))?;
    match difference(&server::dump(&a)?, &server::dump(&b)?, 40) {
        Some(_) => Ok(()),
        None => Err(format!("a schema differing in its {name} compares equal")),
    }
}
