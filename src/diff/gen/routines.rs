//! Generators for functions and procedures (`CREATE OR REPLACE` where it can, dropped and
//! created again where it cannot), aggregates, operators, operator families and classes,
//! and casts. Functions come early: the script runs with `check_function_bodies = false`,
//! and a function over a base type needs only its shell.

use super::{keys, meta_altered, meta_created, rank, simple, Ctx, Def, Meta, Out};
use crate::diff::describe::pairs;
use crate::diff::order::Step;
use crate::diff::plan::{node, Action};
use crate::introspect::{Function, TypeKind};

fn keyword(kind: &str) -> &'static str {
    if kind == "procedure" {
        "PROCEDURE"
    } else {
        "FUNCTION"
    }
}

fn meta<'m>(k: &str, f: &'m Function) -> Meta<'m> {
    let target = format!("{} {k}", keyword(&f.kind));
    Meta {
        comment_on: target.clone(),
        comment: f.comment.as_ref(),
        owner_of: Some(target.clone()),
        owner: f.owner.as_ref(),
        grant_on: Some((target, 'f')),
        acl: f.acl.as_ref(),
    }
}

/// What a routine needs created first: a type that starts as a shell is needed as one.
/// An array of such a type exists only once the type is complete.
fn routine_deps(cx: &Ctx<'_>, n: &str, f: Option<&Function>) -> Vec<String> {
    let uses_array = |t: &str| {
        let array = format!("{t}[]");
        f.is_some_and(|f| {
            f.signature.as_deref().is_some_and(|s| s.contains(&array))
                || f.returns.as_deref().is_some_and(|s| s.contains(&array))
        })
    };
    cx.edeps(n)
        .into_iter()
        .map(|d| {
            let name = d.trim_start_matches("type ");
            match d.strip_prefix("type ").and_then(|t| cx.e.types.get(t)) {
                Some(t)
                    if super::types::needs_shell(t)
                        && !cx.l.types.contains_key(name)
                        && !uses_array(name) =>
                {
                    format!("shell {d}")
                }
                _ => d,
            }
        })
        .collect()
}

/// What a routine's drop must not outlive, and what must be gone first: a base type that
/// needs the function (its input, output, subscript.. function) takes it along when it is
/// dropped, so the function goes after the type.
fn routine_drop(cx: &Ctx<'_>, n: &str, s: Step) -> Step {
    let base_users: Vec<&String> = cx
        .plan
        .dependents
        .get(n)
        .into_iter()
        .flatten()
        .filter(|d| {
            d.strip_prefix("type ")
                .and_then(|t| cx.l.types.get(t))
                .is_some_and(|t| t.kind == TypeKind::Base)
        })
        .collect();
    let uses: Vec<String> = cx
        .ldeps(n)
        .into_iter()
        .filter(|d| !base_users.contains(&d))
        .collect();
    let gone: Vec<String> = base_users.iter().map(|d| format!("gone {d}")).collect();
    s.uses_all(uses).require_all(gone)
}

pub(crate) fn generate(cx: &Ctx<'_>, out: &mut Out) {
    let (e, l) = (cx.e, cx.l);
    for k in keys(&e.functions, &l.functions) {
        let n = node("function", k);
        let Some(w) = cx.work(&n) else { continue };
        let (ef, lf) = (e.functions.get(k), l.functions.get(k));
        let create = |out: &mut Out, f: &Function, why: &[usize], after: Option<usize>| {
            let mut s = Step::new(rank::FUNCTION, f.definition.trim_end().to_string(), why)
                .provide(n.clone())
                .require_all(routine_deps(cx, &n, Some(f)));
            if let Some(sig) = &f.signature {
                s = s.provide(format!("signature {sig}"));
            }
            if let Some(a) = after {
                s = s.after(a);
            }
            let i = out.add(s);
            meta_created(cx, out, &n, &meta(k, f), why, Some(i));
            i
        };
        let drop = |out: &mut Out, f: &Function, why: &[usize], if_exists: bool| {
            let mut s = Step::new(
                rank::DROP_ROUTINE,
                format!(
                    "DROP {}{} {k}",
                    keyword(&f.kind),
                    if if_exists { " IF EXISTS" } else { "" }
                ),
                why,
            )
            .remove(n.clone());
            if let Some(sig) = &f.signature {
                s = s.remove(format!("signature {sig}"));
            }
            out.add(routine_drop(cx, &n, s))
        };
        match (w.action, ef, lf) {
            (Action::Create, Some(f), _) => {
                create(out, f, &w.causes, None);
            }
            (Action::Drop, _, Some(f)) => {
                drop(out, f, &w.causes, true);
            }
            (Action::Alter, Some(f), Some(lf)) => {
                let change = &cx.cs.changes[w.change.unwrap_or_default()];
                let why: Vec<usize> = change
                    .fields
                    .iter()
                    .filter(|x| !matches!(x.field.as_str(), "comment" | "owner" | "grants"))
                    .flat_map(|x| cx.field(w.change, &x.field))
                    .collect();
                if !why.is_empty() {
                    out.add(
                        Step::new(rank::FUNCTION, f.definition.trim_end().to_string(), &why)
                            .provide(n.clone())
                            .require_all(routine_deps(cx, &n, Some(f)))
                            .uses_all(cx.ldeps(&n)),
                    );
                }
                meta_altered(cx, out, &n, w.change, &meta(k, f), &meta(k, lf));
            }
            (_, Some(f), Some(lf)) => {
                // Dropped and created again: it lost its comment, owner and grants.
                let d = drop(out, lf, &w.causes, false);
                create(out, f, &w.causes, Some(d));
            }
            _ => {}
        }
    }

    for k in keys(&e.aggregates, &l.aggregates) {
        let name = k.split('(').next().unwrap_or(k);
        let target =
            |a: &crate::introspect::Aggregate| format!("AGGREGATE {name}({})", a.arguments);
        let meta = super::meta_fn::<crate::introspect::Aggregate>(|a| Meta {
            comment_on: target(a),
            comment: a.comment.as_ref(),
            owner_of: Some(target(a)),
            owner: a.owner.as_ref(),
            grant_on: a.signature.as_ref().map(|s| (format!("FUNCTION {s}"), 'f')),
            acl: a.acl.as_ref(),
        });
        simple(
            cx,
            out,
            &node("function", k),
            (rank::OPERATOR, rank::DROP_ROUTINE),
            e.aggregates.get(k).map(|a| Def {
                create: vec![format!(
                    "CREATE AGGREGATE {name}({}) ({})",
                    a.arguments,
                    pairs(&a.options)
                )],
                meta: meta(a),
            }),
            l.aggregates.get(k).map(|a| {
                (
                    format!(
                        "DROP AGGREGATE IF EXISTS {}",
                        target(a).trim_start_matches("AGGREGATE ")
                    ),
                    meta(a),
                )
            }),
            None,
            &|_| None,
        );
    }

    for k in keys(&e.operators, &l.operators) {
        let args = &k[k.find('(').unwrap_or(k.len())..];
        let target = |o: &crate::introspect::Operator| format!("OPERATOR {} {args}", o.name);
        let meta = super::meta_fn::<crate::introspect::Operator>(|o| Meta {
            comment_on: target(o),
            comment: o.comment.as_ref(),
            owner_of: Some(target(o)),
            owner: o.owner.as_ref(),
            ..Meta::default()
        });
        simple(
            cx,
            out,
            &node("operator", k),
            (rank::OPERATOR, rank::DROP_ROUTINE),
            e.operators.get(k).map(|o| Def {
                create: vec![format!(
                    "CREATE OPERATOR {} ({})",
                    o.name,
                    pairs(&o.options)
                )],
                meta: meta(o),
            }),
            l.operators.get(k).map(|o| {
                (
                    format!("DROP OPERATOR IF EXISTS {} {args}", o.name),
                    meta(o),
                )
            }),
            None,
            &|_| None,
        );
    }

    for k in keys(&e.operator_families, &l.operator_families) {
        let (ef, lf) = (e.operator_families.get(k), l.operator_families.get(k));
        let meta = super::meta_fn::<crate::introspect::OperatorFamily>(|f| Meta {
            comment_on: format!("OPERATOR FAMILY {k}"),
            comment: f.comment.as_ref(),
            owner_of: Some(format!("OPERATOR FAMILY {k}")),
            owner: f.owner.as_ref(),
            ..Meta::default()
        });
        simple(
            cx,
            out,
            &node("opfamily", k),
            (rank::OPERATOR, rank::DROP_ROUTINE),
            ef.map(|f| {
                let mut create = vec![format!("CREATE OPERATOR FAMILY {k}")];
                if !f.members.is_empty() {
                    create.push(format!(
                        "ALTER OPERATOR FAMILY {k} ADD {}",
                        f.members.join(", ")
                    ));
                }
                Def {
                    create,
                    meta: meta(f),
                }
            }),
            lf.map(|f| (format!("DROP OPERATOR FAMILY IF EXISTS {k}"), meta(f))),
            None,
            &|field| {
                let (ef, lf) = (ef?, lf?);
                if field != "members" {
                    return None;
                }
                let mut v = Vec::new();
                let gone: Vec<String> = lf
                    .members
                    .iter()
                    .filter(|m| !ef.members.contains(m))
                    .filter_map(|m| member_key(m))
                    .collect();
                if !gone.is_empty() {
                    v.push(format!(
                        "ALTER OPERATOR FAMILY {k} DROP {}",
                        gone.join(", ")
                    ));
                }
                let new: Vec<&String> = ef
                    .members
                    .iter()
                    .filter(|m| !lf.members.contains(m))
                    .collect();
                if !new.is_empty() {
                    v.push(format!(
                        "ALTER OPERATOR FAMILY {k} ADD {}",
                        new.iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                Some(v)
            },
        );
    }

    for k in keys(&e.operator_classes, &l.operator_classes) {
        let n = node("opclass", k);
        let (ec, lc) = (e.operator_classes.get(k), l.operator_classes.get(k));
        let meta = super::meta_fn::<crate::introspect::OperatorClass>(|c| Meta {
            comment_on: format!("OPERATOR CLASS {k}"),
            comment: c.comment.as_ref(),
            owner_of: Some(format!("OPERATOR CLASS {k}")),
            owner: c.owner.as_ref(),
            ..Meta::default()
        });
        let before = out.steps.len();
        simple(
            cx,
            out,
            &n,
            (rank::OPERATOR, rank::DROP_ROUTINE),
            ec.map(|c| {
                let mut items = c.members.clone();
                if let Some(s) = &c.storage {
                    items.push(format!("STORAGE {s}"));
                }
                let family = c
                    .family
                    .as_ref()
                    .map(|f| format!(" FAMILY {}", f.split(" USING ").next().unwrap_or(f)))
                    .unwrap_or_default();
                Def {
                    create: vec![format!(
                        "CREATE OPERATOR CLASS {} {}FOR TYPE {} USING {}{family} AS {}",
                        c.name,
                        if c.default { "DEFAULT " } else { "" },
                        c.data_type,
                        c.method,
                        items.join(", ")
                    )],
                    meta: meta(c),
                }
            }),
            lc.map(|c| (format!("DROP OPERATOR CLASS IF EXISTS {k}"), meta(c))),
            None,
            &|_| None,
        );
        // A class made with no family of its own made one of its name: it provides it,
        // needs what its members need, and takes it along when dropped.
        let family = node("opfamily", k);
        for s in &mut out.steps[before..] {
            if s.provides.contains(&n) && ec.is_some_and(|c| c.family.is_none()) {
                s.provides.push(family.clone());
                s.requires
                    .extend(cx.edeps(&family).into_iter().filter(|d| *d != n));
            }
        }
        if let (Some(c), true) = (lc, cx.work(&n).is_some_and(|w| w.action == Action::Drop)) {
            let used = e
                .operator_classes
                .values()
                .any(|x| x.family.as_deref() == Some(k.as_str()))
                || e.operator_families.contains_key(k);
            if c.family.is_none() && !used {
                let why = cx.work(&n).map(|w| w.causes).unwrap_or_default();
                out.add(
                    Step::new(
                        rank::DROP_ROUTINE,
                        format!("DROP OPERATOR FAMILY IF EXISTS {k}"),
                        &why,
                    )
                    .remove(family.clone())
                    .after(before),
                );
            }
        }
    }

    for k in keys(&e.casts, &l.casts) {
        let meta = super::meta_fn::<crate::introspect::Cast>(|c| Meta {
            comment_on: format!("CAST {k}"),
            comment: c.comment.as_ref(),
            ..Meta::default()
        });
        simple(
            cx,
            out,
            &node("cast", k),
            (rank::OPERATOR, rank::DROP_ROUTINE),
            e.casts.get(k).map(|c| Def {
                create: vec![format!(
                    "CREATE CAST {k} {}{}",
                    c.method,
                    match c.context.as_str() {
                        "assignment" => " AS ASSIGNMENT",
                        "implicit" => " AS IMPLICIT",
                        _ => "",
                    }
                )],
                meta: meta(c),
            }),
            l.casts
                .get(k)
                .map(|c| (format!("DROP CAST IF EXISTS {k}"), meta(c))),
            None,
            &|_| None,
        );
    }
}

/// `OPERATOR 1 (integer, integer)` / `FUNCTION 1 (integer, integer)`: how `ALTER OPERATOR
/// FAMILY .. DROP` names a member.
fn member_key(member: &str) -> Option<String> {
    let mut words = member.splitn(3, ' ');
    let (what, number, rest) = (words.next()?, words.next()?, words.next()?);
    let open = rest.find('(')?;
    let close = open + rest[open..].find(')')?;
    Some(format!("{what} {number} {}", &rest[open..=close]))
}

#[cfg(test)]
mod tests {
    use super::member_key;

    #[test]
    fn family_members_are_named_by_number_and_types() {
        assert_eq!(
            member_key("OPERATOR 1 public.<(integer,integer)").as_deref(),
            Some("OPERATOR 1 (integer,integer)")
        );
        assert_eq!(
            member_key("FUNCTION 1 (integer, integer) public.cmp(integer,integer)").as_deref(),
            Some("FUNCTION 1 (integer, integer)")
        );
    }
}
