//! Differences no statement can make — a column order the script cannot reach, inherited
//! columns or CHECK constraints one side also defines locally — as strata's second diff
//! reports them (`not_scriptable`). The oracle accepts a pg_dump difference only where it
//! is confined to tables strata named so, and only when the catalog of both sides shows
//! those tables differ in nothing else: the same columns (name, type, not null, default,
//! collation, identity, generation), the same constraints (name and definition) and the
//! same parents. Everything outside those tables' own `CREATE TABLE` entries must still be
//! identical in the dumps.

use crate::dump::Dump;
use crate::server::Db;

/// The tables strata's report names as differing in what no statement can make.
pub fn tables(report: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = report["not_scriptable"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["object"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

/// `schema.table` (quoted parts unquoted) as its schema and name.
fn split(table: &str) -> (String, String) {
    let unquote = |s: &str| s.trim_matches('"').replace("\"\"", "\"");
    match table.split_once('.') {
        Some((s, t)) => (unquote(s), unquote(t)),
        None => ("public".into(), unquote(table)),
    }
}

/// What the catalog says of `table`, except column order and local definition.
fn shape(db: &Db, table: &str) -> Result<Vec<String>, String> {
    let (schema, name) = split(table);
    let mut client = crate::support::pg(&db.url);
    let rows = client
        .query(
            "WITH t AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = $1 AND c.relname = $2)
             SELECT 'column ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                    || ' notnull=' || a.attnotnull::text || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-')
                    || ' collation=' || a.attcollation::regcollation::text || ' identity=' || a.attidentity::text
                    || ' generated=' || a.attgenerated::text || ' inherited=' || (a.attinhcount > 0)::text
               FROM pg_attribute a JOIN t ON a.attrelid = t.oid
               LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attnum > 0 AND NOT a.attisdropped
             UNION ALL
             SELECT 'constraint ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
                    || ' inherited=' || (k.coninhcount > 0)::text
               FROM pg_constraint k JOIN t ON k.conrelid = t.oid
             UNION ALL
             SELECT 'parent ' || i.inhparent::regclass::text
               FROM pg_inherits i JOIN t ON i.inhrelid = t.oid
             ORDER BY 1",
            &[&schema, &name],
        )
        .map_err(|e| crate::server::db_error(&e))?;
    if rows.is_empty() {
        return Err(format!("{table}: not in the catalog"));
    }
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// The catalog of both sides agrees on each of `tables` in all but what strata reported.
pub fn confirm(actual: &Db, expected: &Db, tables: &[String]) -> Result<(), String> {
    for t in tables {
        let (a, e) = (shape(actual, t)?, shape(expected, t)?);
        if a != e {
            let only_a: Vec<&String> = a.iter().filter(|x| !e.contains(x)).collect();
            let only_e: Vec<&String> = e.iter().filter(|x| !a.contains(x)).collect();
            return Err(format!(
                "{t} differs in more than strata reported (catalog): migrated {only_a:?}, expected {only_e:?}"
            ));
        }
    }
    Ok(())
}

/// `dump` without the `CREATE TABLE` entries of `tables`.
pub fn without(dump: &Dump, tables: &[String]) -> Dump {
    let named: Vec<(String, String)> = tables.iter().map(|t| split(t)).collect();
    Dump {
        entries: dump
            .entries
            .iter()
            .filter(|e| {
                !named.iter().any(|(schema, name)| {
                    e.key.contains("; Type: TABLE;")
                        && e.key.contains(&format!("Name: {name};"))
                        && e.key.contains(&format!("Schema: {schema};"))
                })
            })
            .cloned()
            .collect(),
    }
}

/// Checks that the allowance cannot hide a difference: each builds two databases with psql
/// and judges them as a round trip would, given the tables strata would report.
pub mod checks {
    use super::*;
    use crate::server::{self, Db};

    fn pair(a: &str, b: &str, tag: &str) -> Result<(Db, Db), String> {
        let (x, y) = (
            Db::new(&format!("{tag}_a"), None)?,
            Db::new(&format!("{tag}_b"), None)?,
        );
        server::psql(&x, a, "a.sql")?;
        server::psql(&y, b, "b.sql")?;
        Ok((x, y))
    }

    /// Accepted: the catalog agrees and the dumps agree outside the table.
    fn accepted(x: &Db, y: &Db, tables: &[String]) -> Result<bool, String> {
        if confirm(x, y, tables).is_err() {
            return Ok(false);
        }
        let (dx, dy) = (server::dump(x)?, server::dump(y)?);
        Ok(crate::dump::difference(&without(&dx, tables), &without(&dy, tables), 10).is_none())
    }

    fn t() -> Vec<String> {
        vec!["public.t".to_string()]
    }

    pub fn column_order_alone_is_accepted() -> Result<(), String> {
        let (x, y) = pair(
            "CREATE TABLE t (id int PRIMARY KEY, a int DEFAULT 1, b text);",
            "CREATE TABLE t (id int PRIMARY KEY, b text, a int DEFAULT 1);",
            "res_order",
        )?;
        if crate::dump::difference(&server::dump(&x)?, &server::dump(&y)?, 10).is_none() {
            return Err("the two orders dump the same: the check proves nothing".into());
        }
        accepted(&x, &y, &t())?
            .then_some(())
            .ok_or_else(|| "a column order alone was not accepted".into())
    }

    pub fn order_and_a_default_are_refused() -> Result<(), String> {
        let (x, y) = pair(
            "CREATE TABLE t (id int PRIMARY KEY, a int DEFAULT 1, b text);",
            "CREATE TABLE t (id int PRIMARY KEY, b text, a int DEFAULT 2);",
            "res_default",
        )?;
        (!accepted(&x, &y, &t())?)
            .then_some(())
            .ok_or_else(|| "a changed default hid behind a column order".into())
    }

    pub fn another_table_is_still_compared() -> Result<(), String> {
        let (x, y) = pair(
            "CREATE TABLE t (id int, a int, b text); CREATE TABLE u (id int); CREATE INDEX u_id ON u (id);",
            "CREATE TABLE t (id int, b text, a int); CREATE TABLE u (id int);",
            "res_other",
        )?;
        (!accepted(&x, &y, &t())?)
            .then_some(())
            .ok_or_else(|| "an index of another table hid behind a column order".into())
    }

    pub fn a_local_definition_alone_is_accepted_a_check_is_not() -> Result<(), String> {
        let parent = "CREATE TABLE parent (id int, CONSTRAINT parent_id_check CHECK (id > 0));";
        let joined = format!(
            "{parent} CREATE TABLE c (id int, x text, CONSTRAINT parent_id_check CHECK (id > 0)); ALTER TABLE c INHERIT parent;"
        );
        let made = format!("{parent} CREATE TABLE c (x text) INHERITS (parent);");
        let c = vec!["public.c".to_string()];
        let (x, y) = pair(&joined, &made, "res_local")?;
        if !accepted(&x, &y, &c)? {
            return Err("a local definition alone was not accepted".into());
        }
        let (x, y) = pair(
            &joined,
            &format!("{made} ALTER TABLE c ADD CONSTRAINT c_x CHECK (x <> '');"),
            "res_local_check",
        )?;
        (!accepted(&x, &y, &c)?)
            .then_some(())
            .ok_or_else(|| "a CHECK constraint hid behind a local definition".into())
    }

    type Check = fn() -> Result<(), String>;

    pub const ALL: &[(&str, Check)] = &[
        (
            "column_order_alone_is_accepted",
            column_order_alone_is_accepted,
        ),
        (
            "order_and_a_default_are_refused",
            order_and_a_default_are_refused,
        ),
        (
            "another_table_is_still_compared",
            another_table_is_still_compared,
        ),
        (
            "a_local_definition_alone_is_accepted_a_check_is_not",
            a_local_definition_alone_is_accepted_a_check_is_not,
        ),
    ];
}
