//! Plain inheritance: a table leaving a parent (`NO INHERIT`) keeps what it inherited;
//! one joining a parent (`INHERIT`) is first given the columns and checks of the parent it
//! lacks, once the parent is as expected.

use std::collections::BTreeSet;

use super::{rank, Ctx, Out};
use crate::diff::compare::inherited_names;
use crate::diff::order::Step;
use crate::diff::plan::node;
use crate::introspect::{CatalogModel, Column, ConstraintKind, Table};

/// Changes the parents table `name` inherits from. A table leaving a parent does so before
/// the parents' columns change, so that it keeps the columns it had (those it is not to
/// have are dropped); a table joining a parent does so once the parents are as expected,
/// given first the columns and checks of theirs it lacks.
pub(crate) fn inheritance(
    cx: &Ctx<'_>,
    out: &mut Out,
    name: &str,
    e: &Table,
    l: &Table,
    change: Option<usize>,
) {
    if !cx.has(change, "inherits") {
        return;
    }
    let why = cx.field(change, "inherits");
    let common = e
        .inherits
        .iter()
        .zip(&l.inherits)
        .take_while(|(a, b)| a == b)
        .count();
    let (left, joined) = (&l.inherits[common..], &e.inherits[common..]);
    let mut last = Vec::new();
    for parent in left {
        let parent_columns: Vec<String> =
            cx.l.tables
                .get(parent)
                .map(|p| {
                    p.columns
                        .iter()
                        .map(|c| node("column", &format!("{parent}.{}", c.name)))
                        .collect()
                })
                .unwrap_or_default();
        last.push(
            out.add(
                Step::new(
                    rank::PARTITION,
                    format!("ALTER TABLE {name} NO INHERIT {parent}"),
                    &why,
                )
                .uses_all(parent_columns)
                .uses_all([node("table", parent)]),
            ),
        );
    }
    let (kept, _) = inherited_names(cx.e, &CatalogModel::default(), name);
    for col in ancestor_columns(cx.l, left) {
        if e.column(&col.name).is_none() && !kept.contains(&col.name) {
            out.add(
                Step::new(
                    rank::COLUMN,
                    format!("ALTER TABLE {name} DROP COLUMN IF EXISTS {}", col.name),
                    &why,
                )
                .after_all(last.clone())
                .loss(format!(
                    "drops column {name}.{}, inherited until now, and its values",
                    col.name
                )),
            );
        }
    }
    let mut have: BTreeSet<String> = l.columns.iter().map(|c| c.name.clone()).collect();
    let mut before = Vec::new();
    for col in ancestor_columns(cx.e, joined) {
        if have.insert(col.name.clone()) {
            let mut def = format!("{} {}", col.name, col.data_type);
            if let Some(coll) = &col.collation {
                def.push_str(&format!(" COLLATE {coll}"));
            }
            if col.not_null {
                def.push_str(" NOT NULL");
            }
            before.push(
                out.add(
                    Step::new(
                        rank::PARTITION,
                        format!("ALTER TABLE {name} ADD COLUMN IF NOT EXISTS {def}"),
                        &why,
                    )
                    .require_all(cx.edeps(&node("column", &format!("{name}.{}", col.name)))),
                ),
            );
        }
    }
    let mut checks: BTreeSet<&String> = l.constraints.keys().collect();
    for parent in joined {
        for (k, c) in
            cx.e.tables
                .get(parent)
                .map(|t| &t.constraints)
                .into_iter()
                .flatten()
        {
            if c.kind == ConstraintKind::Check && checks.insert(k) {
                before.push(out.add(Step::new(
                    rank::PARTITION,
                    format!(
                        "ALTER TABLE {name} ADD CONSTRAINT {k} {}",
                        crate::diff::describe::in_lists(&c.definition)
                    ),
                    &why,
                )));
            }
        }
    }
    for parent in joined {
        out.add(
            Step::new(
                rank::PARTITION,
                format!("ALTER TABLE {name} INHERIT {parent}"),
                &why,
            )
            .require_all(parent_ready(cx, parent))
            .after_all(before.clone()),
        );
    }
}

/// What a table joining `parent` needs first: the parent's expected columns, and the
/// live ones it is to lose gone.
pub(crate) fn parent_ready(cx: &Ctx<'_>, parent: &str) -> Vec<String> {
    let mut out = vec![node("table", parent)];
    let e = cx.e.tables.get(parent);
    if let Some(p) = e {
        out.extend(
            p.columns
                .iter()
                .map(|c| node("column", &format!("{parent}.{}", c.name))),
        );
    }
    if let Some(l) = cx.l.tables.get(parent) {
        out.extend(
            l.columns
                .iter()
                .filter(|c| e.is_none_or(|e| e.column(&c.name).is_none()))
                .map(|c| format!("gone column {parent}.{}", c.name)),
        );
    }
    out
}

/// The columns of `parents` and of the tables they inherit from, in `model`.
fn ancestor_columns<'m>(model: &'m CatalogModel, parents: &[String]) -> Vec<&'m Column> {
    let mut out: Vec<&Column> = Vec::new();
    let mut todo: Vec<&String> = parents.iter().collect();
    let mut seen = BTreeSet::new();
    while let Some(p) = todo.pop() {
        if !seen.insert(p) {
            continue;
        }
        if let Some(t) = model.tables.get(p) {
            out.extend(t.columns.iter());
            todo.extend(t.inherits.iter());
        }
    }
    out
}
