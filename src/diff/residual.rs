//! Differences no statement can make: properties of a table that PostgreSQL fixes when the
//! table is created and no `ALTER` changes afterwards. The diff reports them by table,
//! beside the change set (they have no statement by design), so a schema that differs only
//! in them is never "no differences"; `--strict` counts them as drift.
//! - Column order: a column added by the script goes last (strata does not guess renames;
//!   PostgreSQL cannot reorder columns without rebuilding the table).
//! - Columns and CHECK constraints an inheritance child also defines itself (including one
//!   the script makes inherit: its own columns stay its own) (`attislocal`,
//!   `conislocal`): `ALTER TABLE … INHERIT` leaves the child's own definitions in place,
//!   `CREATE TABLE … INHERITS` makes them the parent's only, and no DDL turns one into the
//!   other.

use serde::Serialize;

use crate::introspect::{CatalogModel, ConstraintKind, Table};

/// One difference no statement can make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotScriptable {
    /// The table.
    pub object: String,
    /// What differs, with both sides.
    pub what: String,
    /// Why no statement makes it equal.
    pub why: String,
}

const REORDER: &str = "PostgreSQL cannot reorder columns without rebuilding the table";
const LOCAL: &str = "no DDL changes whether an inherited column or constraint is also the \
                     table's own (ALTER TABLE … INHERIT keeps it, CREATE TABLE … INHERITS \
                     does not define it)";

/// The differences between `expected` and `live` that remain once the script has run,
/// predicted from the two models: for each table both have, the column order the script
/// leaves (the live columns it keeps, in their order, then those it adds) against the
/// expected order, and the inherited columns and CHECK constraints that one side also
/// defines locally and the other does not.
pub fn not_scriptable(expected: &CatalogModel, live: &CatalogModel) -> Vec<NotScriptable> {
    let mut out = Vec::new();
    for (name, e) in &expected.tables {
        let Some(l) = live.tables.get(name) else {
            continue;
        };
        // A table the script makes again (another partition key or row type) gets the
        // expected order and definitions.
        if e.partition_key != l.partition_key || e.of_type != l.of_type {
            continue;
        }
        if let Some(item) = column_order(name, e, l) {
            out.push(item);
        }
        out.extend(local_definitions(name, e, l));
    }
    out
}

fn column_order(name: &str, e: &Table, l: &Table) -> Option<NotScriptable> {
    let want: Vec<&str> = e.columns.iter().map(|c| c.name.as_str()).collect();
    let has = |cols: &[&str], n: &str| cols.contains(&n);
    let kept: Vec<&str> = l
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| has(&want, n))
        .collect();
    let mut after = kept.clone();
    after.extend(want.iter().copied().filter(|n| !has(&kept, n)));
    (after != want).then(|| NotScriptable {
        object: name.to_string(),
        what: format!(
            "columns in another order: ({}) after the script, ({}) expected",
            after.join(", "),
            want.join(", ")
        ),
        why: REORDER.into(),
    })
}

fn local_definitions(name: &str, e: &Table, l: &Table) -> Vec<NotScriptable> {
    let mut out = Vec::new();
    // A partition's columns and constraints are always its parent's only (ATTACH PARTITION
    // makes them so): nothing to report.
    if e.partition_bound.is_some() {
        return out;
    }
    let side = |own: bool| {
        if own {
            "its own too"
        } else {
            "the parent's only"
        }
    };
    // After the script, a live column or CHECK the table already inherits keeps its flag;
    // one the table defines itself stays its own when it comes to inherit it (INHERIT, or
    // the parent gaining it, merges the two and keeps the local definition).
    let after = |inherited: bool, also_local: bool| !inherited || also_local;
    for ec in e.columns.iter().filter(|c| c.inherited) {
        if let Some(lc) = l.columns.iter().find(|c| c.name == ec.name) {
            let lc_local = after(lc.inherited, lc.also_local);
            if ec.also_local != lc_local {
                out.push(NotScriptable {
                    object: name.to_string(),
                    what: format!(
                        "inherited column {}: {} here, {} expected",
                        ec.name,
                        side(lc_local),
                        side(ec.also_local)
                    ),
                    why: LOCAL.into(),
                });
            }
        }
    }
    for (cname, ec) in e
        .constraints
        .iter()
        .filter(|(_, c)| c.inherited && c.kind == ConstraintKind::Check)
    {
        if let Some(lc) = l
            .constraints
            .get(cname)
            .filter(|c| c.kind == ConstraintKind::Check)
        {
            let lc_local = after(lc.inherited, lc.also_local);
            if ec.also_local != lc_local {
                out.push(NotScriptable {
                    object: name.to_string(),
                    what: format!(
                        "inherited CHECK constraint {cname}: {} here, {} expected",
                        side(lc_local),
                        side(ec.also_local)
                    ),
                    why: LOCAL.into(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::introspect::Column;

    fn table(columns: &[(&str, bool, bool)]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|(n, inherited, also_local)| Column {
                    name: n.to_string(),
                    data_type: "integer".into(),
                    inherited: *inherited,
                    also_local: *also_local,
                    ..Column::default()
                })
                .collect(),
            ..Table::default()
        }
    }

    fn models(e: Table, l: Table) -> Vec<NotScriptable> {
        let mut expected = CatalogModel::default();
        let mut live = CatalogModel::default();
        expected.tables.insert("public.t".into(), e);
        live.tables.insert("public.t".into(), l);
        not_scriptable(&expected, &live)
    }

    #[test]
    fn a_column_added_last_where_expected_earlier_is_reported() {
        // A rename: full_name dropped, name added — at the end.
        let found = models(
            table(&[
                ("id", false, false),
                ("name", false, false),
                ("born", false, false),
            ]),
            table(&[
                ("id", false, false),
                ("full_name", false, false),
                ("born", false, false),
            ]),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].what.contains("(id, born, name) after the script"));
    }

    #[test]
    fn columns_added_or_dropped_at_the_end_are_not_reported() {
        let found = models(
            table(&[
                ("id", false, false),
                ("a", false, false),
                ("b", false, false),
            ]),
            table(&[
                ("id", false, false),
                ("x", false, false),
                ("a", false, false),
            ]),
        );
        assert_eq!(found, vec![]);
    }

    #[test]
    fn a_table_the_script_makes_inherit_keeps_its_own_columns() {
        // Live: the table stands alone; expected: made with INHERITS. INHERIT keeps id its own.
        let found = models(
            table(&[("id", true, false), ("extra", false, false)]),
            table(&[("id", false, false), ("extra", false, false)]),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0]
            .what
            .contains("inherited column id: its own too here"));
    }

    #[test]
    fn an_inherited_column_also_defined_locally_on_one_side_is_reported() {
        let found = models(
            table(&[("id", true, false), ("extra", false, false)]),
            table(&[("id", true, true), ("extra", false, false)]),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].what.contains("inherited column id"));
    }
}
