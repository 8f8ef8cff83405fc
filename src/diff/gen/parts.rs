//! Generators for what belongs to a table or a view: constraints (foreign keys after the
//! unique keys they reference, from the graph), indexes, triggers (`INSTEAD OF` on views,
//! constraint triggers), rules and policies — created with their owner, dropped, altered
//! (validation, enabled state, comments, statistics), or dropped and created again.

use std::collections::BTreeMap;

use super::{comment_sql, rank, Ctx, Out};
use crate::diff::describe::{in_lists, policy_summary};
use crate::diff::order::Step;
use crate::diff::plan::{node, Action};
use crate::introspect::{
    split_qualified, Constraint, ConstraintKind, Index, Policy, Rule, Trigger,
};

/// The parts of one table or view, on one side.
#[derive(Clone, Copy)]
pub(crate) struct Parts<'m> {
    pub constraints: Option<&'m BTreeMap<String, Constraint>>,
    pub indexes: &'m BTreeMap<String, Index>,
    pub triggers: &'m BTreeMap<String, Trigger>,
    pub rules: &'m BTreeMap<String, Rule>,
    pub policies: Option<&'m BTreeMap<String, Policy>>,
}

/// How the parts' statements relate to their table's.
#[derive(Clone, Copy, Default)]
pub(crate) struct Around {
    /// A step each of them follows (the table's creation or detachment).
    pub after: Option<usize>,
    /// Every part is created: its table is new (these differences are its reasons).
    pub created: bool,
    /// Leave out what the table inherits.
    pub own_only: bool,
    /// `ALTER TABLE` or `ALTER FOREIGN TABLE`.
    pub foreign: bool,
}

/// `pg_get_indexdef` of a partitioned table's index says `ON ONLY`; created that way it
/// would not cascade to the partitions.
pub(crate) fn index_sql(index: &Index) -> String {
    in_lists(&index.definition.replacen(" ON ONLY ", " ON ", 1)).into_owned()
}

/// The name of the index behind a constraint, as a relation name.
fn constraint_rel(table: &str, name: &str) -> String {
    let (schema, _) = split_qualified(table);
    format!("rel {schema}.{name}")
}

fn trigger_state_sql(table: &str, what: &str, name: &str, state: &str) -> String {
    let action = match state {
        "D" => "DISABLE",
        "R" => "ENABLE REPLICA",
        "A" => "ENABLE ALWAYS",
        _ => "ENABLE",
    };
    format!("ALTER TABLE {table} {action} {what} {name}")
}

/// Every part of `table` (`kind` `table` or `view`): what the plan and the change set say
/// to do with it. `why` are the table's own reasons when it is created.
pub(crate) fn generate(
    cx: &Ctx<'_>,
    out: &mut Out,
    table: &str,
    e: Option<Parts<'_>>,
    l: Option<Parts<'_>>,
    around: Around,
    why: &[usize],
) {
    let empty_c = BTreeMap::new();
    let empty_p = BTreeMap::new();
    let (ec, lc) = (
        e.and_then(|p| p.constraints).unwrap_or(&empty_c),
        l.and_then(|p| p.constraints).unwrap_or(&empty_c),
    );
    let alter = if around.foreign {
        "ALTER FOREIGN TABLE"
    } else {
        "ALTER TABLE"
    };
    for k in super::keys(ec, lc) {
        let n = node("constraint", &format!("{table}.{k}"));
        let fk = |c: &Constraint| c.kind == ConstraintKind::ForeignKey;
        let add = |out: &mut Out, c: &Constraint, why: &[usize], after: Option<usize>| {
            let mut s = Step::new(
                if fk(c) { rank::FK } else { rank::CONSTRAINT },
                format!(
                    "{alter} {table} ADD CONSTRAINT {k} {}",
                    in_lists(&c.definition)
                ),
                why,
            )
            .provide(n.clone())
            .provide(constraint_rel(table, k))
            .require_all(cx.edeps(&n));
            if let Some(a) = after.or(around.after) {
                s = s.after(a);
            }
            let i = out.add(s);
            if let Some(text) = &c.comment {
                out.add(
                    Step::new(
                        rank::COMMENT,
                        comment_sql(&format!("CONSTRAINT {k} ON {table}"), Some(text)),
                        why,
                    )
                    .require(n.clone())
                    .after(i),
                );
            }
        };
        let drop = |out: &mut Out, c: &Constraint, why: &[usize]| -> usize {
            let mut s = Step::new(
                if fk(c) {
                    rank::DROP_FK
                } else {
                    rank::DROP_CONSTRAINT
                },
                format!("{alter} {table} DROP CONSTRAINT IF EXISTS {k}"),
                why,
            )
            .remove(n.clone())
            .remove(constraint_rel(table, k))
            .uses_all(cx.ldeps(&n));
            if let Some(a) = around.after {
                s = s.after(a);
            }
            out.add(s)
        };
        let (e, l) = (
            ec.get(k).filter(|c| !(around.own_only && c.inherited)),
            lc.get(k).filter(|c| !(around.own_only && c.inherited)),
        );
        if around.created {
            if let Some(c) = e {
                add(out, c, why, None);
            }
            continue;
        }
        let Some(w) = cx.work(&n) else { continue };
        match (w.action, e, l) {
            (Action::Create, Some(c), _) => add(out, c, &w.causes, None),
            (Action::Drop, _, Some(c)) => {
                drop(out, c, &w.causes);
            }
            (Action::Alter, Some(c), Some(lc)) => {
                if cx.has(w.change, "validated") && c.validated && !lc.validated {
                    out.add(
                        Step::new(
                            rank::CONSTRAINT,
                            format!("{alter} {table} VALIDATE CONSTRAINT {k}"),
                            &cx.field(w.change, "validated"),
                        )
                        .provide(n.clone())
                        .require_all(cx.edeps(&n)),
                    );
                }
                if cx.has(w.change, "comment") {
                    out.add(
                        Step::new(
                            rank::COMMENT,
                            comment_sql(&format!("CONSTRAINT {k} ON {table}"), c.comment.as_ref()),
                            &cx.field(w.change, "comment"),
                        )
                        .require(n.clone()),
                    );
                }
            }
            (_, Some(c), Some(lc)) => {
                let d = drop(out, lc, &w.causes);
                add(out, c, &w.causes, Some(d));
            }
            _ => {}
        }
    }

    let (ei, li) = (e.map(|p| p.indexes), l.map(|p| p.indexes));
    let empty_i = BTreeMap::new();
    let (ei, li) = (ei.unwrap_or(&empty_i), li.unwrap_or(&empty_i));
    for k in super::keys(ei, li) {
        let n = node("index", k);
        let statistics = |i: &Index| -> Vec<String> {
            i.statistics
                .iter()
                .map(|(col, t)| format!("ALTER INDEX {k} ALTER COLUMN {col} SET STATISTICS {t}"))
                .collect()
        };
        let add = |out: &mut Out, i: &Index, why: &[usize], after: Option<usize>| {
            let mut s = Step::new(rank::INDEX, index_sql(i), why)
                .provide(n.clone())
                .provide(format!("rel {k}"))
                .require_all(cx.edeps(&n));
            if let Some(a) = after.or(around.after) {
                s = s.after(a);
            }
            let at = out.add(s);
            for sql in statistics(i) {
                out.add(
                    Step::new(rank::INDEX, sql, why)
                        .require(n.clone())
                        .after(at),
                );
            }
            if let Some(text) = &i.comment {
                out.add(
                    Step::new(
                        rank::COMMENT,
                        comment_sql(&format!("INDEX {k}"), Some(text)),
                        why,
                    )
                    .require(n.clone())
                    .after(at),
                );
            }
        };
        let drop = |out: &mut Out, why: &[usize]| -> usize {
            let mut s = Step::new(rank::DROP_INDEX, format!("DROP INDEX IF EXISTS {k}"), why)
                .remove(n.clone())
                .remove(format!("rel {k}"))
                .uses_all(cx.ldeps(&n));
            if let Some(a) = around.after {
                s = s.after(a);
            }
            out.add(s)
        };
        let (e, l) = (
            ei.get(k).filter(|i| !(around.own_only && i.inherited)),
            li.get(k).filter(|i| !(around.own_only && i.inherited)),
        );
        if around.created {
            if let Some(i) = e {
                add(out, i, why, None);
            }
            continue;
        }
        let Some(w) = cx.work(&n) else { continue };
        match (w.action, e, l) {
            (Action::Create, Some(i), _) => add(out, i, &w.causes, None),
            (Action::Drop, _, Some(_)) => {
                drop(out, &w.causes);
            }
            (Action::Alter, Some(i), Some(li)) => {
                if cx.has(w.change, "statistics") {
                    let mut sqls = statistics(i);
                    for col in li
                        .statistics
                        .keys()
                        .filter(|c| !i.statistics.contains_key(*c))
                    {
                        sqls.push(format!(
                            "ALTER INDEX {k} ALTER COLUMN {col} SET STATISTICS -1"
                        ));
                    }
                    for sql in sqls {
                        out.add(
                            Step::new(rank::INDEX, sql, &cx.field(w.change, "statistics"))
                                .provide(n.clone()),
                        );
                    }
                }
                if cx.has(w.change, "comment") {
                    out.add(
                        Step::new(
                            rank::COMMENT,
                            comment_sql(&format!("INDEX {k}"), i.comment.as_ref()),
                            &cx.field(w.change, "comment"),
                        )
                        .require(n.clone()),
                    );
                }
            }
            (_, Some(i), Some(_)) => {
                let d = drop(out, &w.causes);
                add(out, i, &w.causes, Some(d));
            }
            _ => {}
        }
    }

    let empty_t = BTreeMap::new();
    let (et, lt) = (
        e.map_or(&empty_t, |p| p.triggers),
        l.map_or(&empty_t, |p| p.triggers),
    );
    for k in super::keys(et, lt) {
        let n = node("trigger", &format!("{table}.{k}"));
        let add = |out: &mut Out, t: &Trigger, why: &[usize], after: Option<usize>| {
            let mut s = Step::new(rank::TRIGGER, in_lists(&t.definition).into_owned(), why)
                .provide(n.clone())
                .require_all(cx.edeps(&n));
            if let Some(a) = after.or(around.after) {
                s = s.after(a);
            }
            let at = out.add(s);
            if t.enabled != "O" {
                out.add(
                    Step::new(
                        rank::TRIGGER,
                        trigger_state_sql(table, "TRIGGER", k, &t.enabled),
                        why,
                    )
                    .require(n.clone())
                    .after(at),
                );
            }
            if let Some(text) = &t.comment {
                out.add(
                    Step::new(
                        rank::COMMENT,
                        comment_sql(&format!("TRIGGER {k} ON {table}"), Some(text)),
                        why,
                    )
                    .require(n.clone())
                    .after(at),
                );
            }
        };
        let drop = |out: &mut Out, why: &[usize]| -> usize {
            let mut s = Step::new(
                rank::DROP_TRIGGER,
                format!("DROP TRIGGER IF EXISTS {k} ON {table}"),
                why,
            )
            .remove(n.clone())
            .uses_all(cx.ldeps(&n));
            if let Some(a) = around.after {
                s = s.after(a);
            }
            out.add(s)
        };
        let (e, l) = (
            et.get(k).filter(|t| !t.inherited),
            lt.get(k).filter(|t| !t.inherited),
        );
        if around.created {
            if let Some(t) = e {
                add(out, t, why, None);
            }
            continue;
        }
        let Some(w) = cx.work(&n) else { continue };
        match (w.action, e, l) {
            (Action::Create, Some(t), _) => add(out, t, &w.causes, None),
            (Action::Drop, _, Some(_)) => {
                drop(out, &w.causes);
            }
            (Action::Alter, Some(t), Some(_)) => {
                if cx.has(w.change, "enabled") {
                    out.add(
                        Step::new(
                            rank::TRIGGER,
                            trigger_state_sql(table, "TRIGGER", k, &t.enabled),
                            &cx.field(w.change, "enabled"),
                        )
                        .require(n.clone()),
                    );
                }
                if cx.has(w.change, "comment") {
                    out.add(
                        Step::new(
                            rank::COMMENT,
                            comment_sql(&format!("TRIGGER {k} ON {table}"), t.comment.as_ref()),
                            &cx.field(w.change, "comment"),
                        )
                        .require(n.clone()),
                    );
                }
            }
            (_, Some(t), Some(_)) => {
                let d = drop(out, &w.causes);
                add(out, t, &w.causes, Some(d));
            }
            _ => {}
        }
    }

    let empty_r = BTreeMap::new();
    let (er, lr) = (
        e.map_or(&empty_r, |p| p.rules),
        l.map_or(&empty_r, |p| p.rules),
    );
    for k in super::keys(er, lr) {
        let n = node("rule", &format!("{table}.{k}"));
        let add = |out: &mut Out, r: &Rule, why: &[usize], after: Option<usize>| {
            let mut s = Step::new(
                rank::RULE,
                in_lists(r.definition.trim_end().trim_end_matches(';')).into_owned(),
                why,
            )
            .provide(n.clone())
            .require_all(cx.edeps(&n));
            if let Some(a) = after.or(around.after) {
                s = s.after(a);
            }
            let at = out.add(s);
            if r.enabled != "O" {
                out.add(
                    Step::new(
                        rank::RULE,
                        trigger_state_sql(table, "RULE", k, &r.enabled),
                        why,
                    )
                    .require(n.clone())
                    .after(at),
                );
            }
            if let Some(text) = &r.comment {
                out.add(
                    Step::new(
                        rank::COMMENT,
                        comment_sql(&format!("RULE {k} ON {table}"), Some(text)),
                        why,
                    )
                    .require(n.clone())
                    .after(at),
                );
            }
        };
        let drop = |out: &mut Out, why: &[usize]| -> usize {
            out.add(
                Step::new(
                    rank::DROP_TRIGGER,
                    format!("DROP RULE IF EXISTS {k} ON {table}"),
                    why,
                )
                .remove(n.clone())
                .uses_all(cx.ldeps(&n)),
            )
        };
        let (e, l) = (er.get(k), lr.get(k));
        if around.created {
            if let Some(r) = e {
                add(out, r, why, None);
            }
            continue;
        }
        let Some(w) = cx.work(&n) else { continue };
        match (w.action, e, l) {
            (Action::Create, Some(r), _) => add(out, r, &w.causes, None),
            (Action::Drop, _, Some(_)) => {
                drop(out, &w.causes);
            }
            (Action::Alter, Some(r), Some(_)) => {
                if cx.has(w.change, "enabled") {
                    out.add(
                        Step::new(
                            rank::RULE,
                            trigger_state_sql(table, "RULE", k, &r.enabled),
                            &cx.field(w.change, "enabled"),
                        )
                        .require(n.clone()),
                    );
                }
                if cx.has(w.change, "comment") {
                    out.add(
                        Step::new(
                            rank::COMMENT,
                            comment_sql(&format!("RULE {k} ON {table}"), r.comment.as_ref()),
                            &cx.field(w.change, "comment"),
                        )
                        .require(n.clone()),
                    );
                }
            }
            (_, Some(r), Some(_)) => {
                let d = drop(out, &w.causes);
                add(out, r, &w.causes, Some(d));
            }
            _ => {}
        }
    }

    let (ep, lp) = (
        e.and_then(|p| p.policies).unwrap_or(&empty_p),
        l.and_then(|p| p.policies).unwrap_or(&empty_p),
    );
    for k in super::keys(ep, lp) {
        let n = node("policy", &format!("{table}.{k}"));
        let add = |out: &mut Out, p: &Policy, why: &[usize], after: Option<usize>| {
            let mut s = Step::new(
                rank::POLICY,
                format!(
                    "CREATE POLICY {k} ON {table} {}",
                    in_lists(&policy_summary(p))
                ),
                why,
            )
            .provide(n.clone())
            .require_all(cx.edeps(&n));
            if let Some(a) = after.or(around.after) {
                s = s.after(a);
            }
            let at = out.add(s);
            if let Some(text) = &p.comment {
                out.add(
                    Step::new(
                        rank::COMMENT,
                        comment_sql(&format!("POLICY {k} ON {table}"), Some(text)),
                        why,
                    )
                    .require(n.clone())
                    .after(at),
                );
            }
        };
        let drop = |out: &mut Out, why: &[usize]| -> usize {
            out.add(
                Step::new(
                    rank::DROP_POLICY,
                    format!("DROP POLICY IF EXISTS {k} ON {table}"),
                    why,
                )
                .remove(n.clone())
                .uses_all(cx.ldeps(&n)),
            )
        };
        let (e, l) = (ep.get(k), lp.get(k));
        if around.created {
            if let Some(p) = e {
                add(out, p, why, None);
            }
            continue;
        }
        let Some(w) = cx.work(&n) else { continue };
        match (w.action, e, l) {
            (Action::Create, Some(p), _) => add(out, p, &w.causes, None),
            (Action::Drop, _, Some(_)) => {
                drop(out, &w.causes);
            }
            (Action::Alter, Some(p), Some(_)) => {
                let why = cx.field(w.change, "comment");
                if !why.is_empty() {
                    out.add(
                        Step::new(
                            rank::COMMENT,
                            comment_sql(&format!("POLICY {k} ON {table}"), p.comment.as_ref()),
                            &why,
                        )
                        .require(n.clone()),
                    );
                }
            }
            (_, Some(p), Some(_)) => {
                let d = drop(out, &w.causes);
                add(out, p, &w.causes, Some(d));
            }
            _ => {}
        }
    }
}

/// True when `c` is a constraint backed by an index (primary key, unique, exclusion).
pub(crate) fn has_index(c: &Constraint) -> bool {
    matches!(
        c.kind,
        ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion
    )
}
