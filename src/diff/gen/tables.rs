//! Generator for tables (plain, partitioned, partitions, inheritance children, foreign)
//! and their columns: created with everything on them, dropped (their foreign keys first),
//! created again when their partition key or kind changes (DATA LOSS, with the partitions
//! under them), or altered field by field — storage parameters, access method,
//! tablespace, replica identity, `CLUSTER ON`, typed tables, row-level security,
//! inheritance (`NO INHERIT` / `INHERIT`), partitions detached before and attached after
//! their columns are as expected (keeping what the partition already has), columns added,
//! dropped (DATA LOSS), converted, and given defaults, identity, statistics targets,
//! storage, compression, options, comments and grants.

use std::collections::{BTreeMap, BTreeSet};

use super::columns::{column, column_definition, column_extras};
use super::inheritance::{inheritance, parent_ready};
use super::parts::{self, Around, Parts};
use super::privileges::grants;
use super::{keys, meta_altered, meta_created, options_change, options_list, rank, Ctx, Meta, Out};
use crate::diff::order::Step;
use crate::diff::plan::{node, split_node, table_nodes, Action};
use crate::history::quote_literal;
use crate::introspect::{CatalogModel, Column, ConstraintKind, Table};

/// `ALTER TABLE .. SET (..)` / `RESET (..)` turning storage parameters `live` into `expected`.
pub(crate) fn options_sql(
    keyword: &str,
    table: &str,
    expected: &BTreeMap<String, String>,
    live: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    let reset: Vec<&str> = live
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .map(String::as_str)
        .collect();
    if !reset.is_empty() {
        out.push(format!(
            "ALTER {keyword} {table} RESET ({})",
            reset.join(", ")
        ));
    }
    let set: Vec<String> = expected
        .iter()
        .filter(|(k, v)| live.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k} = {}", quote_literal(v)))
        .collect();
    if !set.is_empty() {
        out.push(format!("ALTER {keyword} {table} SET ({})", set.join(", ")));
    }
    out
}

fn table_keyword(t: &Table) -> &'static str {
    if t.foreign.is_some() {
        "FOREIGN TABLE"
    } else {
        "TABLE"
    }
}

fn table_meta<'m>(name: &str, t: &'m Table) -> Meta<'m> {
    let kw = table_keyword(t);
    Meta {
        comment_on: format!("{kw} {name}"),
        comment: t.comment.as_ref(),
        owner_of: Some(format!("{kw} {name}")),
        owner: t.owner.as_ref(),
        grant_on: Some((format!("TABLE {name}"), 'r')),
        acl: t.acl.as_ref(),
    }
}

fn parts_of(t: &Table) -> Parts<'_> {
    Parts {
        constraints: Some(&t.constraints),
        indexes: &t.indexes,
        triggers: &t.triggers,
        rules: &t.rules,
        policies: Some(&t.policies),
    }
}

/// The tables something happens to: changed, holding a changed part, or touched by the plan.
fn touched(cx: &Ctx<'_>) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = cx.plan.tables.clone();
    for c in &cx.cs.changes {
        match (&c.parent, c.kind) {
            (Some(p), _) => {
                out.insert(p.clone());
            }
            (None, crate::diff::ObjectKind::Table | crate::diff::ObjectKind::ForeignTable) => {
                out.insert(c.name.clone());
            }
            _ => {}
        }
    }
    for n in cx.plan.recreate.keys().chain(cx.plan.convert.keys()) {
        let (kind, name) = split_node(n);
        match kind {
            "table" => {
                out.insert(name.to_string());
            }
            "index" => {
                if let Some(t) = cx.plan.index_owner.get(n) {
                    out.insert(t.clone());
                }
            }
            "column" | "default" | "constraint" | "trigger" | "rule" | "policy" => {
                for m in [cx.e, cx.l] {
                    if let Some(t) = name
                        .char_indices()
                        .filter(|(_, c)| *c == '.')
                        .map(|(i, _)| &name[..i])
                        .find(|t| m.tables.contains_key(*t))
                    {
                        out.insert(t.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

pub(crate) fn generate(cx: &Ctx<'_>, out: &mut Out) {
    let touched = touched(cx);
    for name in keys(&cx.e.tables, &cx.l.tables) {
        if touched.contains(name.as_str()) {
            table(cx, out, name);
        }
    }
}

/// Every difference of the parts of table `name`.
fn part_causes(cx: &Ctx<'_>, name: &str) -> Vec<usize> {
    cx.cs
        .changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.parent.as_deref() == Some(name))
        .flat_map(|(i, _)| cx.cs.ids(i))
        .collect()
}

fn table(cx: &Ctx<'_>, out: &mut Out, name: &str) {
    let tn = node("table", name);
    let (e, l) = (cx.e.tables.get(name), cx.l.tables.get(name));
    let w = cx.work(&tn);
    match (w.as_ref().map(|w| w.action), e, l) {
        (Some(Action::Create), Some(e), _) => {
            create_table(cx, out, name, e, &w.expect("work").causes);
        }
        (Some(Action::Drop), _, Some(l)) => {
            drop_table(
                cx,
                out,
                name,
                l,
                &w.expect("work").causes,
                format!("drops table {name} and all its rows"),
                vec![],
            );
        }
        (Some(Action::Recreate), Some(e), Some(l)) => {
            let mut why = w.expect("work").causes;
            why.extend(part_causes(cx, name));
            // A partition under a table created again goes with it.
            let under_recreated = l
                .parent
                .as_ref()
                .is_some_and(|p| cx.plan.tables.contains(p));
            if !under_recreated {
                let partitions: Vec<String> = partitions_under(cx.l, name);
                let mut removes = Vec::new();
                for p in &partitions {
                    removes.extend(table_nodes(p, &cx.l.tables[p]));
                    removes.push(format!("rel {p}"));
                }
                drop_table(
                    cx,
                    out,
                    name,
                    l,
                    &why,
                    recreate_reason(cx, name, e, l, partitions.len()),
                    removes,
                );
            }
            create_table(cx, out, name, e, &why);
        }
        (_, Some(e), Some(l)) => alter_table(cx, out, name, e, l, w.and_then(|w| w.change)),
        _ => {}
    }
}

/// Partitions under `name` (all levels) in `m`.
fn partitions_under(m: &CatalogModel, name: &str) -> Vec<String> {
    let mut all: Vec<String> = vec![name.to_string()];
    let mut i = 0;
    while i < all.len() {
        let parent = all[i].clone();
        all.extend(
            m.tables
                .iter()
                .filter(|(_, t)| t.parent.as_deref() == Some(parent.as_str()))
                .map(|(n, _)| n.clone()),
        );
        i += 1;
    }
    all.remove(0);
    all
}

fn recreate_reason(cx: &Ctx<'_>, name: &str, e: &Table, l: &Table, partitions: usize) -> String {
    let with = match partitions {
        0 => String::new(),
        1 => " with its partition".into(),
        n => format!(" with its {n} partitions"),
    };
    let mut why = if l.partition_key != e.partition_key {
        format!(
            "recreates table {name}, whose partition key changes ({} → {}) and cannot be altered: drops it{with} and all the rows",
            l.partition_key.as_deref().unwrap_or("none"),
            e.partition_key.as_deref().unwrap_or("none"),
        )
    } else {
        format!("recreates table {name}, whose kind changes and cannot be altered: drops it{with} and all the rows")
    };
    let mut subtree: BTreeSet<String> = partitions_under(cx.l, name).into_iter().collect();
    subtree.insert(name.to_string());
    let referenced = cx.e.tables.iter().any(|(other, t)| {
        !cx.plan.tables.contains(other)
            && t.constraints
                .values()
                .any(|k| k.references.as_ref().is_some_and(|r| subtree.contains(r)))
    });
    if referenced {
        why.push_str(
            "; rows of other tables that referenced them make adding their foreign keys back fail",
        );
    }
    why
}

/// Does the default of `table.column` need something that needs the table itself (so it
/// cannot go in `CREATE TABLE`)?
fn default_needs_table(cx: &Ctx<'_>, table: &str, column: &str) -> bool {
    let own = |n: &str| {
        let (_, name) = split_node(n);
        n == format!("table {table}") || name.starts_with(&format!("{table}."))
    };
    let mut todo: Vec<String> =
        cx.e.depends
            .get(&node("default", &format!("{table}.{column}")))
            .map(|d| d.iter().filter(|d| !own(d)).cloned().collect())
            .unwrap_or_default();
    let mut seen = BTreeSet::new();
    while let Some(n) = todo.pop() {
        if !seen.insert(n.clone()) || seen.len() > 500 {
            continue;
        }
        if own(&n) {
            return true;
        }
        if n.starts_with("sequence ") {
            continue; // its owning column is set apart (OWNED BY)
        }
        if let Some(d) = cx.e.depends.get(&n) {
            todo.extend(d.iter().cloned());
        }
    }
    false
}

fn create_table(cx: &Ctx<'_>, out: &mut Out, name: &str, t: &Table, why: &[usize]) -> usize {
    let tn = node("table", name);
    let persistence = if t.unlogged { "UNLOGGED " } else { "" };
    let kw = table_keyword(t);
    let own: Vec<&Column> = t.columns.iter().filter(|c| !c.inherited).collect();
    let separate: BTreeSet<String> = own
        .iter()
        .filter(|c| c.default.is_some() && default_needs_table(cx, name, &c.name))
        .map(|c| c.name.clone())
        .collect();
    let mut sql = match (&t.parent, &t.partition_bound) {
        (Some(parent), Some(bound)) => {
            format!("CREATE {persistence}{kw} {name} PARTITION OF {parent} {bound}")
        }
        _ => {
            let columns: Vec<String> = own
                .iter()
                .map(|c| format!("    {}", column_definition(c, !separate.contains(&c.name))))
                .collect();
            format!(
                "CREATE {persistence}{kw} {name} (\n{}\n)",
                columns.join(",\n")
            )
        }
    };
    if !t.inherits.is_empty() {
        sql.push_str(&format!(" INHERITS ({})", t.inherits.join(", ")));
    }
    if let Some(key) = &t.partition_key {
        sql.push_str(&format!(" PARTITION BY {key}"));
    }
    if let Some(am) = &t.access_method {
        sql.push_str(&format!(" USING {am}"));
    }
    if let Some(ts) = &t.tablespace {
        sql.push_str(&format!(" TABLESPACE {ts}"));
    }
    if let Some(f) = &t.foreign {
        sql.push_str(&format!(" SERVER {}", f.server));
        if !f.options.is_empty() {
            sql.push_str(&format!(" OPTIONS ({})", options_list(&f.options)));
        }
    }
    let own_nodes: BTreeSet<String> = table_nodes(name, t).into_iter().collect();
    let mut requires: Vec<String> = cx.edeps(&tn);
    let mut provides = vec![tn.clone(), format!("rel {name}")];
    for c in &t.columns {
        let cn = node("column", &format!("{name}.{}", c.name));
        requires.extend(cx.edeps(&cn));
        provides.push(cn);
        provides.extend(
            c.identity_sequence
                .iter()
                .filter(|_| !c.inherited)
                .map(|s| format!("rel {s}")),
        );
        if (c.default.is_some() && !separate.contains(&c.name)) || c.generated.is_some() {
            let dn = node("default", &format!("{name}.{}", c.name));
            requires.extend(cx.edeps(&dn));
            provides.push(dn);
        }
    }
    for parent in t.parent.iter().chain(t.inherits.iter()) {
        if let Some(p) = cx.e.tables.get(parent) {
            requires.extend(
                p.columns
                    .iter()
                    .map(|c| node("column", &format!("{parent}.{}", c.name))),
            );
        }
    }
    requires.retain(|r| !own_nodes.contains(r));
    let created = out.add(
        Step::new(rank::TABLE, sql, why)
            .provide_all(provides)
            .require_all(requires),
    );
    let step =
        |rank: u16, sql: String| Step::new(rank, sql, why).require(tn.clone()).after(created);
    for c in own.iter().filter(|c| separate.contains(&c.name)) {
        let dn = node("default", &format!("{name}.{}", c.name));
        out.add(
            step(
                rank::COLUMN_DEFAULT,
                format!(
                    "ALTER TABLE {name} ALTER COLUMN {} SET DEFAULT {}",
                    c.name,
                    c.default.clone().unwrap_or_default()
                ),
            )
            .provide(dn.clone())
            .require_all(cx.edeps(&dn)),
        );
    }
    for sql in options_sql("TABLE", name, &t.options, &BTreeMap::new()) {
        out.add(step(rank::TABLE_OPTIONS, sql));
    }
    for c in &t.columns {
        column_extras(cx, out, name, c, None, why, Some(created));
    }
    if let Some(ty) = &t.of_type {
        out.add(step(
            rank::TABLE_OPTIONS,
            format!("ALTER TABLE {name} OF {ty}"),
        ));
    }
    parts::generate(
        cx,
        out,
        name,
        Some(parts_of(t)),
        None,
        Around {
            after: Some(created),
            created: true,
            own_only: true,
            foreign: t.foreign.is_some(),
        },
        why,
    );
    for sql in table_settings(name, t, None) {
        out.add(index_step(step(rank::TABLE_OPTIONS, sql), t));
    }
    meta_created(cx, out, &tn, &table_meta(name, t), why, Some(created));
    if cx.privileges {
        for c in t.columns.iter().filter(|c| !c.inherited) {
            if let (Some(acl), Some(seq)) = (&c.sequence_acl, &c.identity_sequence) {
                let baseline = cx.acl_defaults.baseline('s', t.owner.as_deref(), cx.l);
                for sql in grants(&format!("SEQUENCE {seq}"), None, acl, &baseline) {
                    out.add(step(rank::PRIVILEGES, sql));
                }
            }
        }
    }
    created
}

/// A step naming an index of `t` (`REPLICA IDENTITY USING INDEX`, `CLUSTER ON`) needs it.
fn index_step(s: Step, t: &Table) -> Step {
    let needs: Vec<String> = t
        .indexes
        .keys()
        .filter(|i| {
            s.sql
                .ends_with(&format!(" {}", i.rsplit('.').next().unwrap_or(i)))
        })
        .map(|i| node("index", i))
        .collect();
    s.require_all(needs)
}

/// Replica identity, `CLUSTER ON` and row-level security of `t`, against `live`.
fn table_settings(name: &str, t: &Table, live: Option<&Table>) -> Vec<String> {
    let mut v = Vec::new();
    let l = live.cloned().unwrap_or_default();
    if t.replica_identity != l.replica_identity {
        let what = match t.replica_identity.as_deref() {
            None => "DEFAULT".to_string(),
            Some("full") => "FULL".into(),
            Some("nothing") => "NOTHING".into(),
            Some(other) => format!("USING INDEX {}", other.trim_start_matches("index ")),
        };
        v.push(format!("ALTER TABLE {name} REPLICA IDENTITY {what}"));
    }
    if t.cluster_on != l.cluster_on {
        v.push(match &t.cluster_on {
            Some(i) => format!(
                "ALTER TABLE {name} CLUSTER ON {}",
                i.rsplit('.').next().unwrap_or(i)
            ),
            None => format!("ALTER TABLE {name} SET WITHOUT CLUSTER"),
        });
    }
    if t.rls_enabled != l.rls_enabled {
        v.push(format!(
            "ALTER TABLE {name} {} ROW LEVEL SECURITY",
            if t.rls_enabled { "ENABLE" } else { "DISABLE" }
        ));
    }
    if t.rls_forced != l.rls_forced {
        v.push(format!(
            "ALTER TABLE {name} {} ROW LEVEL SECURITY",
            if t.rls_forced { "FORCE" } else { "NO FORCE" }
        ));
    }
    v
}

fn drop_table(
    cx: &Ctx<'_>,
    out: &mut Out,
    name: &str,
    t: &Table,
    why: &[usize],
    reason: String,
    extra: Vec<String>,
) -> usize {
    let own: BTreeSet<String> = table_nodes(name, t)
        .into_iter()
        .chain(extra.iter().cloned())
        .collect();
    // Foreign keys first: tables that reference each other can then go in any order.
    let mut fks = BTreeSet::new();
    for (k, _) in t
        .constraints
        .iter()
        .filter(|(_, c)| c.kind == ConstraintKind::ForeignKey && !c.inherited)
    {
        let n = node("constraint", &format!("{name}.{k}"));
        out.add(
            Step::new(
                rank::DROP_FK,
                format!("ALTER TABLE {name} DROP CONSTRAINT IF EXISTS {k}"),
                why,
            )
            .remove(n.clone())
            .uses_all(cx.ldeps(&n)),
        );
        fks.insert(n);
    }
    let mut uses: Vec<String> = Vec::new();
    for n in &own {
        if !fks.contains(n) {
            uses.extend(cx.ldeps(n).into_iter().filter(|d| !own.contains(d)));
        }
    }
    let mut removes: Vec<String> = own.into_iter().collect();
    removes.push(format!("rel {name}"));
    removes.extend(t.indexes.keys().map(|i| format!("rel {i}")));
    let (schema, _) = crate::introspect::split_qualified(name);
    removes.extend(
        t.constraints
            .iter()
            .filter(|(_, c)| parts::has_index(c))
            .map(|(k, _)| format!("rel {schema}.{k}")),
    );
    out.add(
        Step::new(
            rank::DROP_LATE,
            format!("DROP {} IF EXISTS {name}", table_keyword(t)),
            why,
        )
        .remove_all(removes)
        .uses_all(uses)
        .loss(reason),
    )
}

fn alter_table(
    cx: &Ctx<'_>,
    out: &mut Out,
    name: &str,
    e: &Table,
    l: &Table,
    change: Option<usize>,
) {
    let tn = node("table", name);
    let start = out.steps.len();
    let field_step = |rank: u16, sql: String, field: &str| {
        Step::new(rank, sql, &cx.field(change, field))
            .provide(tn.clone())
            .require_all(cx.edeps(&tn))
    };
    // A partition leaving its parent does so first; one joining it, last.
    let moved = cx.has(change, "parent") || cx.has(change, "partition_bound");
    let detach = match (&l.parent, moved) {
        (Some(old), true) => {
            let why: Vec<usize> = ["parent", "partition_bound"]
                .iter()
                .flat_map(|f| cx.field(change, f))
                .collect();
            Some(
                out.add(
                    Step::new(
                        rank::PARTITION,
                        format!("ALTER TABLE {old} DETACH PARTITION {name}"),
                        &why,
                    )
                    .uses_all([node("table", old)]),
                ),
            )
        }
        _ => None,
    };
    if cx.has(change, "unlogged") {
        out.add(field_step(
            rank::TABLE_OPTIONS,
            format!(
                "ALTER TABLE {name} SET {}",
                if e.unlogged { "UNLOGGED" } else { "LOGGED" }
            ),
            "unlogged",
        ));
    }
    if cx.has(change, "options") {
        for sql in options_sql("TABLE", name, &e.options, &l.options) {
            out.add(field_step(rank::TABLE_OPTIONS, sql, "options"));
        }
    }
    if cx.has(change, "access_method") {
        out.add(field_step(
            rank::TABLE_OPTIONS,
            format!(
                "ALTER TABLE {name} SET ACCESS METHOD {}",
                e.access_method.as_deref().unwrap_or("heap")
            ),
            "access_method",
        ));
    }
    if cx.has(change, "tablespace") {
        out.add(field_step(
            rank::TABLE_OPTIONS,
            format!(
                "ALTER TABLE {name} SET TABLESPACE {}",
                e.tablespace.as_deref().unwrap_or("pg_default")
            ),
            "tablespace",
        ));
    }
    if cx.has(change, "of_type") {
        out.add(
            field_step(
                rank::TABLE_OPTIONS,
                match &e.of_type {
                    Some(t) => format!("ALTER TABLE {name} OF {t}"),
                    None => format!("ALTER TABLE {name} NOT OF"),
                },
                "of_type",
            )
            .require_all(
                e.columns
                    .iter()
                    .map(|c| node("column", &format!("{name}.{}", c.name))),
            ),
        );
    }
    if cx.has(change, "foreign_options") {
        let none = BTreeMap::new();
        if let Some(o) = options_change(
            e.foreign.as_ref().map_or(&none, |f| &f.options),
            l.foreign.as_ref().map_or(&none, |f| &f.options),
        ) {
            out.add(field_step(
                rank::TABLE_OPTIONS,
                format!("ALTER FOREIGN TABLE {name} {o}"),
                "foreign_options",
            ));
        }
    }
    for (field, sql) in [
        "replica_identity",
        "cluster_on",
        "rls_enabled",
        "rls_forced",
    ]
    .iter()
    .filter(|f| cx.has(change, f))
    .flat_map(|f| {
        let mut only = l.clone();
        match *f {
            "replica_identity" => only.replica_identity = e.replica_identity.clone(),
            "cluster_on" => only.cluster_on = e.cluster_on.clone(),
            "rls_enabled" => only.rls_enabled = e.rls_enabled,
            _ => only.rls_forced = e.rls_forced,
        }
        table_settings(name, &only, Some(l))
            .into_iter()
            .map(move |s| (*f, s))
    }) {
        out.add(index_step(field_step(rank::TABLE_OPTIONS, sql, field), e));
    }
    inheritance(cx, out, name, e, l, change);

    let mut names: Vec<&String> = e.columns.iter().map(|c| &c.name).collect();
    names.extend(
        l.columns
            .iter()
            .map(|c| &c.name)
            .filter(|n| e.column(n).is_none()),
    );
    for col in names {
        column(cx, out, name, e, l, col, detach);
    }
    let own_only = e.parent == l.parent;
    parts::generate(
        cx,
        out,
        name,
        Some(parts_of(e)),
        Some(parts_of(l)),
        Around {
            after: detach,
            created: false,
            own_only,
            foreign: e.foreign.is_some(),
        },
        &[],
    );
    meta_altered(
        cx,
        out,
        &tn,
        change,
        &table_meta(name, e),
        &table_meta(name, l),
    );

    if let (Some(parent), Some(bound), true) = (&e.parent, &e.partition_bound, moved) {
        let why: Vec<usize> = ["parent", "partition_bound"]
            .iter()
            .flat_map(|f| cx.field(change, f))
            .collect();
        let end = out.steps.len();
        out.add(
            Step::new(
                rank::PARTITION,
                format!("ALTER TABLE {parent} ATTACH PARTITION {name} {bound}"),
                &why,
            )
            .require_all(parent_ready(cx, parent))
            .after_all(start..end)
            .provide(tn.clone()),
        );
    }
}
