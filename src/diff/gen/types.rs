//! Generator for types: enums (labels added in place), domains (default, NOT NULL and
//! checks altered in place), composite types (attributes added, dropped, retyped), range
//! and base types (a base type and a range with a canonical function start as a shell, so
//! that their functions can be created before them, as `pg_dump` does). A type that cannot
//! be altered is created again under its name: the live one renamed, the new one created,
//! the columns using it converted (by the tables' generator), the old one dropped once
//! nothing uses it.

use std::collections::BTreeMap;

use super::{comment_sql, ident, meta_altered, meta_created, rank, Ctx, Meta, Out};
use crate::diff::describe::in_lists;
use crate::diff::order::Step;
use crate::diff::plan::{node, Action};
use crate::history::quote_literal;
use crate::introspect::{split_qualified, unquote, TypeDef, TypeKind};

pub(crate) fn keyword(t: &TypeDef) -> &'static str {
    if t.kind == TypeKind::Domain {
        "DOMAIN"
    } else {
        "TYPE"
    }
}

/// `schema.name__strata_old`: where a type created again keeps its values meanwhile.
pub(crate) fn old_name(name: &str) -> (String, String) {
    let (schema, base) = split_qualified(name);
    let old = ident(&format!("{}__strata_old", unquote(base)));
    let qualified = if schema.is_empty() {
        old.clone()
    } else {
        format!("{schema}.{old}")
    };
    (qualified, old)
}

/// True when the type starts as a shell (`CREATE TYPE name;`) so its functions can be
/// created first.
pub(crate) fn needs_shell(t: &TypeDef) -> bool {
    t.kind == TypeKind::Base
        || t.kind == TypeKind::Range && t.properties.iter().any(|(k, _)| k == "CANONICAL")
}

pub(crate) fn type_sql(name: &str, t: &TypeDef) -> String {
    let props = || {
        t.properties
            .iter()
            .map(|(k, v)| {
                if v.is_empty() {
                    k.clone()
                } else {
                    format!("{k} = {v}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match t.kind {
        TypeKind::Enum => format!(
            "CREATE TYPE {name} AS ENUM ({})",
            t.labels
                .iter()
                .map(|l| quote_literal(l))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeKind::Composite => format!(
            "CREATE TYPE {name} AS ({})",
            t.attributes
                .iter()
                .map(|(n, ty)| format!("{n} {ty}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeKind::Range => format!("CREATE TYPE {name} AS RANGE ({})", props()),
        TypeKind::Base => format!("CREATE TYPE {name} ({})", props()),
        TypeKind::Domain => {
            let mut s = format!(
                "CREATE DOMAIN {name} AS {}",
                t.base_type.clone().unwrap_or_else(|| "text".into())
            );
            if let Some(c) = &t.collation {
                s.push_str(&format!(" COLLATE {c}"));
            }
            if let Some(d) = &t.default {
                s.push_str(&format!(" DEFAULT {}", in_lists(d)));
            }
            if t.not_null {
                s.push_str(" NOT NULL");
            }
            // A check not yet validated is added apart (`CREATE DOMAIN` cannot say NOT VALID).
            for (n, def) in t.checks.iter().filter(|(_, d)| !d.ends_with(" NOT VALID")) {
                s.push_str(&format!(" CONSTRAINT {n} {}", in_lists(def)));
            }
            s
        }
    }
}

/// `ALTER DOMAIN .. ADD CONSTRAINT .. NOT VALID` for a domain's checks not yet validated.
fn unvalidated_checks(name: &str, t: &TypeDef) -> Vec<String> {
    t.checks
        .iter()
        .filter(|(_, d)| d.ends_with(" NOT VALID"))
        .map(|(k, d)| format!("ALTER DOMAIN {name} ADD CONSTRAINT {k} {}", in_lists(d)))
        .collect()
}

fn meta<'m>(name: &str, t: &'m TypeDef) -> Meta<'m> {
    let kw = keyword(t);
    Meta {
        comment_on: format!("{kw} {name}"),
        comment: t.comment.as_ref(),
        owner_of: Some(format!("{kw} {name}")),
        owner: t.owner.as_ref(),
        grant_on: Some((format!("{kw} {name}"), 'T')),
        acl: t.acl.as_ref(),
    }
}

/// Comments on a composite type's attributes and a domain's constraints, against `live`.
fn part_comments(name: &str, t: &TypeDef, live: Option<&TypeDef>) -> Vec<String> {
    let mut out = Vec::new();
    let empty = BTreeMap::new();
    let (la, lc) = live.map_or((&empty, &empty), |l| {
        (&l.attribute_comments, &l.check_comments)
    });
    for (a, c) in &t.attribute_comments {
        if la.get(a) != Some(c) {
            out.push(comment_sql(&format!("COLUMN {name}.{a}"), Some(c)));
        }
    }
    for a in la.keys().filter(|a| !t.attribute_comments.contains_key(*a)) {
        if t.attributes.iter().any(|(n, _)| n == a) {
            out.push(comment_sql(&format!("COLUMN {name}.{a}"), None));
        }
    }
    for (k, c) in &t.check_comments {
        if lc.get(k) != Some(c) {
            out.push(comment_sql(
                &format!("CONSTRAINT {k} ON DOMAIN {name}"),
                Some(c),
            ));
        }
    }
    for k in lc.keys().filter(|k| !t.check_comments.contains_key(*k)) {
        if t.checks.contains_key(k) {
            out.push(comment_sql(
                &format!("CONSTRAINT {k} ON DOMAIN {name}"),
                None,
            ));
        }
    }
    out
}

pub(crate) fn generate(cx: &Ctx<'_>, out: &mut Out) {
    for name in super::keys(&cx.e.types, &cx.l.types) {
        let n = node("type", name);
        let Some(w) = cx.work(&n) else { continue };
        let (e, l) = (cx.e.types.get(name), cx.l.types.get(name));
        match (w.action, e, l) {
            (Action::Create, Some(e), _) => {
                create(cx, out, name, e, &w.causes, None);
            }
            (Action::Drop, _, Some(l)) => {
                // A base type goes first and takes its functions along (they need it as
                // much as it needs them).
                let base = l.kind == TypeKind::Base;
                let uses: Vec<String> = cx
                    .ldeps(&n)
                    .into_iter()
                    .filter(|d| !(base && d.starts_with("function ")))
                    .collect();
                out.add(
                    Step::new(
                        rank::DROP_TYPE,
                        format!(
                            "DROP {} IF EXISTS {name}{}",
                            keyword(l),
                            if base { " CASCADE" } else { "" }
                        ),
                        &w.causes,
                    )
                    .remove(n.clone())
                    .remove(format!("rel {name}"))
                    .provide(format!("gone {n}"))
                    .uses_all(uses),
                );
            }
            (Action::Recreate, Some(e), Some(l)) => recreate(cx, out, name, e, l, &w.causes),
            (_, Some(e), Some(l)) => alter(cx, out, name, e, l, w.change),
            _ => {}
        }
    }
}

fn create(
    cx: &Ctx<'_>,
    out: &mut Out,
    name: &str,
    t: &TypeDef,
    why: &[usize],
    after: Option<usize>,
) -> usize {
    let n = node("type", name);
    let mut prev = after;
    if needs_shell(t) {
        let mut s = Step::new(rank::TYPE, format!("CREATE TYPE {name}"), why)
            .provide(format!("shell {n}"))
            .require_all(cx.structural(&n));
        if let Some(p) = prev {
            s = s.after(p);
        }
        prev = Some(out.add(s));
    }
    let mut s = Step::new(rank::TYPE, type_sql(name, t), why)
        .provide(n.clone())
        .provide(format!("rel {name}"))
        .require_all(cx.edeps(&n));
    if let Some(p) = prev {
        s = s.after(p);
    }
    let i = out.add(s);
    for sql in unvalidated_checks(name, t) {
        out.add(
            Step::new(rank::CONSTRAINT, sql, why)
                .provide(n.clone())
                .after(i),
        );
    }
    for sql in part_comments(name, t, None) {
        out.add(
            Step::new(rank::COMMENT, sql, why)
                .require(n.clone())
                .after(i),
        );
    }
    meta_created(cx, out, &n, &meta(name, t), why, Some(i));
    i
}

/// Why recreating type `name` can lose data.
pub(crate) fn recreate_reason(cx: &Ctx<'_>, name: &str, e: &TypeDef, l: &TypeDef) -> String {
    let depth = cx
        .plan
        .type_depth
        .get(&node("type", name))
        .copied()
        .unwrap_or(0);
    if depth > 0 {
        format!("recreates type {name} over a recreated type: values that do not convert make this fail")
    } else if e.kind != l.kind {
        format!(
            "recreates type {name}, which changes kind: values that do not convert make this fail"
        )
    } else if e.kind == TypeKind::Enum {
        format!("recreates enum {name}: rows holding a label it no longer has make this fail")
    } else if e.kind == TypeKind::Domain {
        format!(
            "recreates domain {name} over {}: values that do not convert make this fail",
            e.base_type.as_deref().unwrap_or("another type")
        )
    } else {
        format!("recreates type {name}: values that do not convert make this fail")
    }
}

/// The live type is renamed out of the way and the expected one created; the tables'
/// generator converts the columns; the old one is dropped once nothing uses it.
fn recreate(cx: &Ctx<'_>, out: &mut Out, name: &str, e: &TypeDef, l: &TypeDef, why: &[usize]) {
    let n = node("type", name);
    let reason = recreate_reason(cx, name, e, l);
    if l.kind == TypeKind::Base {
        let d = out.add(
            Step::new(
                rank::DROP_TYPE,
                format!("DROP TYPE IF EXISTS {name} CASCADE"),
                why,
            )
            .remove(n.clone())
            .provide(format!("gone {n}"))
            .loss(reason.clone()),
        );
        create(cx, out, name, e, why, Some(d));
        return;
    }
    let (old_qualified, old) = old_name(name);
    let old_node = node("type", &old_qualified);
    // Built on another type created again: renamed once that one exists again.
    let rebuilt_on: Vec<String> = cx
        .ldeps(&n)
        .into_iter()
        .filter(|d| d.starts_with("type ") && cx.plan.recreated(d))
        .collect();
    let rename = out.add(
        Step::new(
            rank::TYPE,
            format!("ALTER {} {name} RENAME TO {old}", keyword(l)),
            why,
        )
        .remove(n.clone())
        .remove(format!("rel {name}"))
        .require_all(rebuilt_on.clone())
        .loss(reason.clone()),
    );
    let s = Step::new(rank::TYPE, type_sql(name, e), why)
        .provide(n.clone())
        .provide(format!("rel {name}"))
        .require_all(cx.edeps(&n))
        .after(rename)
        .loss(reason);
    let created = out.add(s);
    for sql in unvalidated_checks(name, e) {
        out.add(
            Step::new(rank::CONSTRAINT, sql, why)
                .provide(n.clone())
                .after(created),
        );
    }
    for sql in part_comments(name, e, None) {
        out.add(
            Step::new(rank::COMMENT, sql, why)
                .require(n.clone())
                .after(created),
        );
    }
    meta_created(cx, out, &n, &meta(name, e), why, Some(created));
    // Dropped last: what still uses the old type is converted or dropped before.
    let old_uses: Vec<String> = rebuilt_on
        .iter()
        .map(|d| node("type", &old_name(d.trim_start_matches("type ")).0))
        .collect();
    out.add(
        Step::new(
            rank::DROP_TYPE,
            format!("DROP {} {old_qualified}", keyword(l)),
            why,
        )
        .remove(old_node)
        .uses_all(old_uses)
        .after(created),
    );
}

fn alter(cx: &Ctx<'_>, out: &mut Out, name: &str, e: &TypeDef, l: &TypeDef, change: Option<usize>) {
    let n = node("type", name);
    let step = |rank: u16, sql: String, field: &str| {
        Step::new(rank, sql, &cx.field(change, field))
            .provide(n.clone())
            .require_all(cx.edeps(&n))
            .uses_all(cx.ldeps(&n))
    };
    match e.kind {
        // Only labels to add (anything else recreates the type).
        TypeKind::Enum if cx.has(change, "labels") => {
            for (i, label) in e.labels.iter().enumerate() {
                if l.labels.contains(label) {
                    continue;
                }
                let position = match e.labels[..i].iter().rev().find(|x| l.labels.contains(x)) {
                    Some(prev) => format!(" AFTER {}", quote_literal(prev)),
                    None => match e.labels[i + 1..].iter().find(|x| l.labels.contains(x)) {
                        Some(next) => format!(" BEFORE {}", quote_literal(next)),
                        None => String::new(),
                    },
                };
                out.add(step(
                    rank::TYPE,
                    format!(
                        "ALTER TYPE {name} ADD VALUE {}{position}",
                        quote_literal(label)
                    ),
                    "labels",
                ));
            }
        }
        TypeKind::Domain => {
            if cx.has(change, "default") {
                out.add(step(
                    rank::TYPE,
                    match &e.default {
                        Some(d) => format!("ALTER DOMAIN {name} SET DEFAULT {}", in_lists(d)),
                        None => format!("ALTER DOMAIN {name} DROP DEFAULT"),
                    },
                    "default",
                ));
            }
            if cx.has(change, "not_null") {
                out.add(step(
                    rank::TYPE,
                    format!(
                        "ALTER DOMAIN {name} {} NOT NULL",
                        if e.not_null { "SET" } else { "DROP" }
                    ),
                    "not_null",
                ));
            }
            if cx.has(change, "checks") {
                for (k, def) in &l.checks {
                    if e.checks.get(k) != Some(def) {
                        out.add(step(
                            rank::DROP_CONSTRAINT,
                            format!("ALTER DOMAIN {name} DROP CONSTRAINT {k}"),
                            "checks",
                        ));
                    }
                }
                for (k, def) in &e.checks {
                    if l.checks.get(k) != Some(def) {
                        out.add(step(
                            rank::CONSTRAINT,
                            format!("ALTER DOMAIN {name} ADD CONSTRAINT {k} {}", in_lists(def)),
                            "checks",
                        ));
                    }
                }
            }
        }
        // Attributes are positional: from the first one that differs on, the live ones go
        // and the expected ones come in order.
        TypeKind::Composite if cx.has(change, "attributes") => {
            let prefix = e
                .attributes
                .iter()
                .zip(&l.attributes)
                .take_while(|(a, b)| a == b)
                .count();
            let appended = prefix == l.attributes.len();
            let mut prev = None;
            for (a, _) in l.attributes[prefix..].iter().rev() {
                let s = step(
                    rank::TYPE,
                    format!("ALTER TYPE {name} DROP ATTRIBUTE {a}"),
                    "attributes",
                )
                .loss(format!("drops attribute {a} of type {name}"));
                prev = Some(out.add(match prev {
                    Some(p) => s.after(p),
                    None => s,
                }));
            }
            for (a, t) in &e.attributes[prefix..] {
                let s = step(
                    rank::TYPE,
                    format!("ALTER TYPE {name} ADD ATTRIBUTE {a} {t}"),
                    "attributes",
                );
                prev = Some(out.add(match prev {
                    Some(p) if !appended => s.after(p),
                    _ => s,
                }));
            }
        }
        _ => {}
    }
    let why: Vec<usize> = ["attribute_comments", "check_comments"]
        .iter()
        .flat_map(|f| cx.field(change, f))
        .collect();
    if !why.is_empty() {
        for sql in part_comments(name, e, Some(l)) {
            out.add(Step::new(rank::COMMENT, sql, &why).require(n.clone()));
        }
    }
    meta_altered(cx, out, &n, change, &meta(name, e), &meta(name, l));
}
