//! Tables and views, with their columns, constraints, indexes, triggers, rules and
//! policies. What a partition or an inheritance child inherits is its parent's
//! difference, unless the table joins or leaves its parent: then what it inherits on one
//! side is what it must have on the other.

use std::collections::{BTreeMap, BTreeSet};

use super::{Fields, Walk};
use crate::diff::change::{ChangeKind, ObjectKind};
use crate::diff::describe::{column_summary, list, policy_summary, trigger_state};
use crate::diff::CompareOptions;
use crate::introspect::{CatalogModel, Column, ConstraintKind, Index, Table, View};

pub(crate) fn table_kind(t: &Table) -> ObjectKind {
    if t.foreign.is_some() {
        ObjectKind::ForeignTable
    } else {
        ObjectKind::Table
    }
}

pub(crate) fn table_object(k: &str, t: &Table) -> String {
    format!("{} {k}", table_kind(t).words())
}

pub(crate) fn view_kind(v: &View) -> ObjectKind {
    if v.materialized {
        ObjectKind::MaterializedView
    } else {
        ObjectKind::View
    }
}

pub(crate) fn view_object(k: &str, v: &View) -> String {
    format!("{} {k}", view_kind(v).words())
}

/// The names of the columns and check constraints the parents of inheritance child `table`
/// hold (their own parents' included), in either model.
pub(crate) fn inherited_names(
    expected: &CatalogModel,
    live: &CatalogModel,
    table: &str,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut columns = BTreeSet::new();
    let mut constraints = BTreeSet::new();
    for model in [expected, live] {
        let mut todo: Vec<&String> = model
            .tables
            .get(table)
            .map(|t| t.inherits.iter().collect())
            .unwrap_or_default();
        let mut seen = BTreeSet::new();
        while let Some(parent) = todo.pop() {
            if !seen.insert(parent) {
                continue;
            }
            if let Some(p) = model.tables.get(parent) {
                columns.extend(p.columns.iter().map(|c| c.name.clone()));
                constraints.extend(
                    p.constraints
                        .iter()
                        .filter(|(_, k)| k.kind == ConstraintKind::Check)
                        .map(|(n, _)| n.clone()),
                );
                todo.extend(p.inherits.iter());
            }
        }
    }
    (columns, constraints)
}

/// Which of a table's parts one side compares.
#[derive(Clone, Copy)]
pub(crate) struct Scope {
    /// Inherited columns (and check constraints) count: the table joins or leaves a parent.
    columns: bool,
    /// Inherited constraints and indexes count too: the table leaves its parent (they become
    /// its own), or joins it (it has them first, under their expected names).
    parts: bool,
}

/// What each side of table `k` compares: its own parts, or also what it inherits when it
/// is a partition on that side only (or of another parent).
pub(crate) fn scopes(e: &Table, l: &Table) -> (Scope, Scope) {
    let moved = e.parent != l.parent;
    (
        // Joining: it must have the columns and checks first, and the keys and indexes it
        // has under their expected names are attached as they are.
        Scope {
            columns: moved && e.parent.is_some(),
            parts: moved && e.parent.is_some(),
        },
        Scope {
            columns: moved && l.parent.is_some(),
            parts: moved && l.parent.is_some(),
        },
    )
}

/// The columns of `t` one side compares.
pub(crate) fn columns_in(t: &Table, s: Scope) -> impl Iterator<Item = &Column> {
    t.columns.iter().filter(move |c| !c.inherited || s.columns)
}

pub(crate) fn compare_table(
    w: &mut Walk<'_>,
    expected: &CatalogModel,
    live: &CatalogModel,
    k: &str,
    e: &Table,
    l: &Table,
) {
    use ObjectKind as K;
    let obj = table_object(k, e);
    let o = w.options;
    let mut f = Fields::default();
    f.flag("unlogged", e.unlogged, l.unlogged);
    f.text("partition_key", &e.partition_key, &l.partition_key);
    f.text("parent", &e.parent, &l.parent);
    f.text("partition_bound", &e.partition_bound, &l.partition_bound);
    f.val("inherits", &e.inherits, &l.inherits, |v| list(v));
    f.map("options", &e.options, &l.options);
    f.text("access_method", &e.access_method, &l.access_method);
    f.text("tablespace", &e.tablespace, &l.tablespace);
    f.text("replica_identity", &e.replica_identity, &l.replica_identity);
    f.text("cluster_on", &e.cluster_on, &l.cluster_on);
    f.text("of_type", &e.of_type, &l.of_type);
    f.val(
        "server",
        &e.foreign.as_ref().map(|x| &x.server),
        &l.foreign.as_ref().map(|x| &x.server),
        |s| s.map(|s| s.to_string()).unwrap_or_else(|| "(none)".into()),
    );
    let none = BTreeMap::new();
    f.map(
        "foreign_options",
        e.foreign.as_ref().map_or(&none, |x| &x.options),
        l.foreign.as_ref().map_or(&none, |x| &x.options),
    );
    f.flag("rls_enabled", e.rls_enabled, l.rls_enabled);
    f.flag("rls_forced", e.rls_forced, l.rls_forced);
    f.text("comment", &e.comment, &l.comment);
    f.owner(o, &e.owner, &l.owner);
    f.grants(o, "grants", &e.acl, &l.acl);
    if !f.0.is_empty() {
        w.push(table_kind(e), k, None, &obj, ChangeKind::Altered, None, f.0);
    }

    // Columns, by name. Of an inheritance child, those one side has and the other inherits
    // are not compared: joining or leaving the parent makes them so.
    let (es, ls) = scopes(e, l);
    let (inherited_columns, inherited_checks) =
        if e.inherits != l.inherits || !e.inherits.is_empty() {
            inherited_names(expected, live, k)
        } else {
            Default::default()
        };
    let ecols: Vec<&Column> = columns_in(e, es).collect();
    let lcols: Vec<&Column> = columns_in(l, ls).collect();
    let find = |cols: &[&Column], n: &str| cols.iter().position(|c| c.name == n);
    for ec in &ecols {
        let name = format!("{k}.{}", ec.name);
        match find(&lcols, &ec.name) {
            None if inherited_columns.contains(&ec.name) => {}
            None => w.push(
                K::Column,
                &name,
                Some(k),
                &obj,
                ChangeKind::Added,
                Some(column_summary(ec)),
                vec![],
            ),
            Some(i) => {
                let mut f = Fields::default();
                column_fields(&mut f, o, ec, lcols[i]);
                if !f.0.is_empty() {
                    w.push(
                        K::Column,
                        &name,
                        Some(k),
                        &obj,
                        ChangeKind::Altered,
                        None,
                        f.0,
                    );
                }
            }
        }
    }
    for lc in &lcols {
        if find(&ecols, &lc.name).is_none() && !inherited_columns.contains(&lc.name) {
            let name = format!("{k}.{}", lc.name);
            w.push(
                K::Column,
                &name,
                Some(k),
                &obj,
                ChangeKind::Dropped,
                Some(column_summary(lc)),
                vec![],
            );
        }
    }

    // Constraints: on the expected side of a table joining a parent, the checks it inherits
    // count (it must have them first); on the live side of one leaving it, all it inherits.
    let pick =
        |t: &Table, checks: bool, all: bool| -> BTreeMap<String, crate::introspect::Constraint> {
            t.constraints
                .iter()
                .filter(|(_, c)| !c.inherited || all || (checks && c.kind == ConstraintKind::Check))
                .map(|(n, c)| (n.clone(), c.clone()))
                .collect()
        };
    let (mut ek, mut lk) = (pick(e, es.columns, es.parts), pick(l, ls.columns, ls.parts));
    if !inherited_checks.is_empty() {
        let (e_names, l_names): (BTreeSet<String>, BTreeSet<String>) =
            (ek.keys().cloned().collect(), lk.keys().cloned().collect());
        ek.retain(|n, _| !inherited_checks.contains(n) || l_names.contains(n));
        lk.retain(|n, _| !inherited_checks.contains(n) || e_names.contains(n));
    }
    w.kind(
        fixed_kind(K::Constraint),
        &prefix(k, &ek),
        &prefix(k, &lk),
        Some(k),
        |_, _| obj.clone(),
        |c| Some(c.definition.clone()),
        |f, _, e, l| {
            f.expr(
                "definition",
                constraint_body(&e.definition),
                constraint_body(&l.definition),
            );
            f.flag("validated", e.validated, l.validated);
            f.text("comment", &e.comment, &l.comment);
        },
    );

    let keep = |m: &BTreeMap<String, Index>, all: bool| -> BTreeMap<String, Index> {
        m.iter()
            .filter(|(_, i)| !i.inherited || all)
            .map(|(n, i)| (n.clone(), i.clone()))
            .collect()
    };
    compare_indexes(
        w,
        k,
        &obj,
        &keep(&e.indexes, es.parts),
        &keep(&l.indexes, ls.parts),
    );

    let own = |m: &BTreeMap<String, crate::introspect::Trigger>| -> BTreeMap<String, crate::introspect::Trigger> {
        m.iter().filter(|(_, t)| !t.inherited).map(|(n, t)| (n.clone(), t.clone())).collect()
    };
    compare_triggers(w, k, &obj, &own(&e.triggers), &own(&l.triggers));
    compare_rules(w, k, &obj, &e.rules, &l.rules);
    w.kind(
        fixed_kind(K::Policy),
        &prefix(k, &e.policies),
        &prefix(k, &l.policies),
        Some(k),
        |_, _| obj.clone(),
        |p| Some(policy_summary(p)),
        |f, _, e, l| {
            f.expr("definition", &policy_summary(e), &policy_summary(l));
            f.text("comment", &e.comment, &l.comment);
        },
    );
}

pub(crate) fn fixed_kind<V>(k: ObjectKind) -> impl Fn(&V) -> ObjectKind {
    move |_| k
}

/// A map of parts keyed `table.name` as changes name them.
pub(crate) fn prefix<V: Clone>(table: &str, m: &BTreeMap<String, V>) -> BTreeMap<String, V> {
    m.iter()
        .map(|(n, v)| (format!("{table}.{n}"), v.clone()))
        .collect()
}

pub(crate) fn column_fields(f: &mut Fields, o: &CompareOptions, e: &Column, l: &Column) {
    f.string("type", &e.data_type, &l.data_type);
    f.flag("not_null", e.not_null, l.not_null);
    f.expr_opt("default", &e.default, &l.default);
    f.text("identity", &e.identity, &l.identity);
    if e.identity.is_some() && l.identity.is_some() {
        f.text(
            "identity_sequence",
            &e.identity_sequence,
            &l.identity_sequence,
        );
        f.val(
            "identity_options",
            &e.identity_options,
            &l.identity_options,
            |o| {
                o.as_ref()
                    .map(|o| o.sql())
                    .unwrap_or_else(|| "(none)".into())
            },
        );
    }
    f.expr_opt("generated", &e.generated, &l.generated);
    f.flag(
        "generated_virtual",
        e.generated_virtual,
        l.generated_virtual,
    );
    f.text("collation", &e.collation, &l.collation);
    f.val("statistics", &e.statistics, &l.statistics, |t| {
        t.map(|t| t.to_string())
            .unwrap_or_else(|| "(default)".into())
    });
    f.text("storage", &e.storage, &l.storage);
    f.text("compression", &e.compression, &l.compression);
    f.map("options", &e.options, &l.options);
    f.map("set_options", &e.set_options, &l.set_options);
    f.text("comment", &e.comment, &l.comment);
    f.grants(o, "grants", &e.acl, &l.acl);
    if e.identity.is_some() && l.identity.is_some() {
        f.grants(o, "sequence_grants", &e.sequence_acl, &l.sequence_acl);
    }
}

pub(crate) fn compare_indexes(
    w: &mut Walk<'_>,
    parent: &str,
    obj: &str,
    e: &BTreeMap<String, Index>,
    l: &BTreeMap<String, Index>,
) {
    w.kind(
        fixed_kind(ObjectKind::Index),
        e,
        l,
        Some(parent),
        |_, _| obj.to_string(),
        |i| Some(i.definition.clone()),
        |f, _, e, l| {
            f.expr("definition", &e.definition, &l.definition);
            f.flag("valid", e.valid, l.valid);
            f.val("statistics", &e.statistics, &l.statistics, |m| {
                m.iter()
                    .map(|(c, t)| format!("{c}={t}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            f.text("comment", &e.comment, &l.comment);
        },
    );
}

pub(crate) fn compare_triggers(
    w: &mut Walk<'_>,
    parent: &str,
    obj: &str,
    e: &BTreeMap<String, crate::introspect::Trigger>,
    l: &BTreeMap<String, crate::introspect::Trigger>,
) {
    w.kind(
        fixed_kind(ObjectKind::Trigger),
        &prefix(parent, e),
        &prefix(parent, l),
        Some(parent),
        |_, _| obj.to_string(),
        |t| Some(t.definition.clone()),
        |f, _, e, l| {
            f.expr("definition", &e.definition, &l.definition);
            f.val("enabled", &e.enabled, &l.enabled, |s| {
                trigger_state(s).to_string()
            });
            f.text("comment", &e.comment, &l.comment);
        },
    );
}

pub(crate) fn compare_rules(
    w: &mut Walk<'_>,
    parent: &str,
    obj: &str,
    e: &BTreeMap<String, crate::introspect::Rule>,
    l: &BTreeMap<String, crate::introspect::Rule>,
) {
    w.kind(
        fixed_kind(ObjectKind::Rule),
        &prefix(parent, e),
        &prefix(parent, l),
        Some(parent),
        |_, _| obj.to_string(),
        |r| Some(r.definition.clone()),
        |f, _, e, l| {
            f.expr("definition", &e.definition, &l.definition);
            f.val("enabled", &e.enabled, &l.enabled, |s| {
                trigger_state(s).to_string()
            });
            f.text("comment", &e.comment, &l.comment);
        },
    );
}

pub(crate) fn compare_view(w: &mut Walk<'_>, k: &str, e: &View, l: &View) {
    let obj = view_object(k, e);
    let kind = view_kind(e);
    let o = w.options;
    let mut f = Fields::default();
    if f.flag("materialized", e.materialized, l.materialized) {
        w.push(kind, k, None, &obj, ChangeKind::Altered, None, f.0);
        return;
    }
    f.expr("definition", &e.definition, &l.definition);
    f.map("options", &e.options, &l.options);
    f.text("tablespace", &e.tablespace, &l.tablespace);
    f.text("access_method", &e.access_method, &l.access_method);
    f.text("cluster_on", &e.cluster_on, &l.cluster_on);
    f.text("comment", &e.comment, &l.comment);
    f.owner(o, &e.owner, &l.owner);
    f.grants(o, "grants", &e.acl, &l.acl);
    if !f.0.is_empty() {
        w.push(kind, k, None, &obj, ChangeKind::Altered, None, f.0);
    }
    // Columns with a default, a comment or grants.
    let (ec, lc) = (&e.columns, &l.columns);
    let empty = crate::introspect::ViewColumn::default();
    let names: BTreeSet<&String> = ec.keys().chain(lc.keys()).collect();
    for n in names {
        let (ev, lv) = (ec.get(n).unwrap_or(&empty), lc.get(n).unwrap_or(&empty));
        let mut f = Fields::default();
        f.text("default", &ev.default, &lv.default);
        f.val("statistics", &ev.statistics, &lv.statistics, |t| {
            t.map(|t| t.to_string())
                .unwrap_or_else(|| "(default)".into())
        });
        f.text("comment", &ev.comment, &lv.comment);
        f.grants(o, "grants", &ev.acl, &lv.acl);
        if !f.0.is_empty() {
            w.push(
                ObjectKind::Column,
                &format!("{k}.{n}"),
                Some(k),
                &obj,
                ChangeKind::Altered,
                None,
                f.0,
            );
        }
    }
    compare_indexes(w, k, &obj, &e.indexes, &l.indexes);
    compare_triggers(w, k, &obj, &e.triggers, &l.triggers);
    compare_rules(w, k, &obj, &e.rules, &l.rules);
}

/// A constraint definition without its `NOT VALID` marker (validity is compared apart).
pub(crate) fn constraint_body(definition: &str) -> &str {
    definition.strip_suffix(" NOT VALID").unwrap_or(definition)
}
