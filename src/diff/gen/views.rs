//! Generator for views and materialized views: created after what they read (the graph
//! says so), with their options, column defaults, comments and grants, indexes, triggers
//! (`INSTEAD OF`) and rules; dropped before what they read; dropped and created again when
//! their query changes or anything under them is; options, tablespace, access method,
//! `CLUSTER ON`, comments and grants altered in place.

use std::collections::BTreeSet;

use super::parts::{self, Around, Parts};
use super::privileges::grants_as;
use super::tables::options_sql;
use super::{comment_sql, keys, meta_altered, meta_created, rank, Ctx, Meta, Out};
use crate::diff::describe::in_lists;
use crate::diff::order::Step;
use crate::diff::plan::{node, Action};
use crate::introspect::View;

fn keyword(v: &View) -> &'static str {
    if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    }
}

fn view_sql(name: &str, v: &View) -> String {
    let body = in_lists(v.definition.trim().trim_end_matches(';')).into_owned();
    let with = if v.options.is_empty() {
        String::new()
    } else {
        format!(
            " WITH ({})",
            v.options
                .iter()
                .map(|(k, x)| format!("{k}={x}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    if v.materialized {
        let using = v
            .access_method
            .as_ref()
            .map(|a| format!(" USING {a}"))
            .unwrap_or_default();
        let ts = v
            .tablespace
            .as_ref()
            .map(|t| format!(" TABLESPACE {t}"))
            .unwrap_or_default();
        format!("CREATE MATERIALIZED VIEW {name}{using}{with}{ts} AS\n{body}\nWITH DATA")
    } else {
        format!("CREATE VIEW {name}{with} AS\n{body}")
    }
}

fn meta<'m>(name: &str, v: &'m View) -> Meta<'m> {
    let kw = keyword(v);
    Meta {
        comment_on: format!("{kw} {name}"),
        comment: v.comment.as_ref(),
        owner_of: Some(format!("{kw} {name}")),
        owner: v.owner.as_ref(),
        grant_on: Some((format!("TABLE {name}"), 'r')),
        acl: v.acl.as_ref(),
    }
}

fn parts_of(v: &View) -> Parts<'_> {
    Parts {
        constraints: None,
        indexes: &v.indexes,
        triggers: &v.triggers,
        rules: &v.rules,
        policies: None,
    }
}

/// Every node of view `name`: the view and its indexes, triggers and rules.
fn view_nodes(name: &str, v: &View) -> Vec<String> {
    let mut out = vec![node("view", name), format!("rel {name}")];
    out.extend(v.indexes.keys().map(|i| node("index", i)));
    out.extend(v.indexes.keys().map(|i| format!("rel {i}")));
    out.extend(
        v.triggers
            .keys()
            .map(|t| node("trigger", &format!("{name}.{t}"))),
    );
    out.extend(v.rules.keys().map(|r| node("rule", &format!("{name}.{r}"))));
    out
}

pub(crate) fn generate(cx: &Ctx<'_>, out: &mut Out) {
    let mut touched: BTreeSet<&str> = BTreeSet::new();
    for c in &cx.cs.changes {
        if let Some(p) = &c.parent {
            touched.insert(p);
        }
    }
    for name in keys(&cx.e.views, &cx.l.views) {
        let n = node("view", name);
        let w = cx.work(&n);
        let has_parts = touched.contains(name.as_str())
            || [cx.e.views.get(name), cx.l.views.get(name)]
                .iter()
                .flatten()
                .any(|v| {
                    v.indexes
                        .keys()
                        .any(|i| cx.work(&node("index", i)).is_some())
                        || v.triggers
                            .keys()
                            .any(|t| cx.work(&node("trigger", &format!("{name}.{t}"))).is_some())
                        || v.rules
                            .keys()
                            .any(|r| cx.work(&node("rule", &format!("{name}.{r}"))).is_some())
                });
        if w.is_none() && !has_parts {
            continue;
        }
        let (e, l) = (cx.e.views.get(name), cx.l.views.get(name));
        match (w.as_ref().map(|w| w.action), e, l) {
            (Some(Action::Create), Some(e), _) => {
                create(cx, out, name, e, &w.expect("work").causes, None);
            }
            (Some(Action::Drop), _, Some(l)) => {
                drop(cx, out, name, l, &w.expect("work").causes);
            }
            (Some(Action::Recreate), Some(e), Some(l)) => {
                let mut why = w.expect("work").causes;
                why.extend(
                    cx.cs
                        .changes
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.parent.as_deref() == Some(name.as_str()))
                        .flat_map(|(i, _)| cx.cs.ids(i)),
                );
                let d = drop(cx, out, name, l, &why);
                create(cx, out, name, e, &why, Some(d));
            }
            (_, Some(e), Some(l)) => alter(cx, out, name, e, l, w.and_then(|w| w.change)),
            _ => {}
        }
    }
}

fn drop(cx: &Ctx<'_>, out: &mut Out, name: &str, v: &View, why: &[usize]) -> usize {
    let own: BTreeSet<String> = view_nodes(name, v).into_iter().collect();
    let uses: Vec<String> = own
        .iter()
        .flat_map(|n| cx.ldeps(n))
        .filter(|d| !own.contains(d))
        .collect();
    out.add(
        Step::new(
            rank::DROP_VIEW,
            format!("DROP {} IF EXISTS {name}", keyword(v)),
            why,
        )
        .remove_all(own)
        .uses_all(uses),
    )
}

fn create(
    cx: &Ctx<'_>,
    out: &mut Out,
    name: &str,
    v: &View,
    why: &[usize],
    after: Option<usize>,
) -> usize {
    let n = node("view", name);
    let mut s = Step::new(rank::VIEW, view_sql(name, v), why)
        .provide(n.clone())
        .provide(format!("rel {name}"))
        .require_all(cx.edeps(&n).into_iter().filter(|d| *d != n));
    if let Some(a) = after {
        s = s.after(a);
    }
    let created = out.add(s);
    let step = |rank: u16, sql: String| Step::new(rank, sql, why).require(n.clone()).after(created);
    for (c, vc) in &v.columns {
        if let Some(d) = &vc.default {
            out.add(step(
                rank::COLUMN_DEFAULT,
                format!(
                    "ALTER VIEW {name} ALTER COLUMN {c} SET DEFAULT {}",
                    in_lists(d)
                ),
            ));
        }
        if let Some(t) = vc.statistics {
            out.add(step(
                rank::TABLE_OPTIONS,
                format!(
                    "ALTER {} {name} ALTER COLUMN {c} SET STATISTICS {t}",
                    keyword(v)
                ),
            ));
        }
        if let Some(text) = &vc.comment {
            out.add(step(
                rank::COMMENT,
                comment_sql(&format!("COLUMN {name}.{c}"), Some(text)),
            ));
        }
        if let (true, Some(acl)) = (cx.privileges, &vc.acl) {
            for sql in grants_as(
                &format!("TABLE {name}"),
                Some(c),
                acl,
                &[],
                v.owner.as_deref(),
            ) {
                out.add(step(rank::PRIVILEGES, sql));
            }
        }
    }
    parts::generate(
        cx,
        out,
        name,
        Some(parts_of(v)),
        None,
        Around {
            after: Some(created),
            created: true,
            own_only: false,
            foreign: false,
        },
        why,
    );
    if let Some(i) = &v.cluster_on {
        out.add(
            step(
                rank::TABLE_OPTIONS,
                format!(
                    "ALTER MATERIALIZED VIEW {name} CLUSTER ON {}",
                    i.rsplit('.').next().unwrap_or(i)
                ),
            )
            .require(node("index", i)),
        );
    }
    // Comments and grants right after what they describe.
    meta_created(cx, out, &n, &meta(name, v), why, Some(created));
    created
}

fn alter(cx: &Ctx<'_>, out: &mut Out, name: &str, e: &View, l: &View, change: Option<usize>) {
    let n = node("view", name);
    let kw = keyword(e);
    let step = |rank: u16, sql: String, field: &str| {
        Step::new(rank, sql, &cx.field(change, field)).provide(n.clone())
    };
    if cx.has(change, "options") {
        for sql in options_sql(kw, name, &e.options, &l.options) {
            out.add(step(rank::TABLE_OPTIONS, sql, "options"));
        }
    }
    if cx.has(change, "tablespace") {
        out.add(step(
            rank::TABLE_OPTIONS,
            format!(
                "ALTER {kw} {name} SET TABLESPACE {}",
                e.tablespace.as_deref().unwrap_or("pg_default")
            ),
            "tablespace",
        ));
    }
    if cx.has(change, "access_method") {
        out.add(step(
            rank::TABLE_OPTIONS,
            format!(
                "ALTER {kw} {name} SET ACCESS METHOD {}",
                e.access_method.as_deref().unwrap_or("heap")
            ),
            "access_method",
        ));
    }
    if cx.has(change, "cluster_on") {
        let sql = match &e.cluster_on {
            Some(i) => format!(
                "ALTER {kw} {name} CLUSTER ON {}",
                i.rsplit('.').next().unwrap_or(i)
            ),
            None => format!("ALTER {kw} {name} SET WITHOUT CLUSTER"),
        };
        let mut s = step(rank::TABLE_OPTIONS, sql, "cluster_on");
        if let Some(i) = &e.cluster_on {
            s = s.require(node("index", i));
        }
        out.add(s);
    }
    // Columns with a default, a comment or grants of their own.
    for (i, c) in cx.cs.changes.iter().enumerate() {
        if c.parent.as_deref() != Some(name) || c.kind != crate::diff::ObjectKind::Column {
            continue;
        }
        let col = c.name.strip_prefix(&format!("{name}.")).unwrap_or(&c.name);
        let empty = Default::default();
        let (ec, lc) = (
            e.columns.get(col).unwrap_or(&empty),
            l.columns.get(col).unwrap_or(&empty),
        );
        let why = |f: &str| cx.field(Some(i), f);
        if c.has("default") {
            let sql = match &ec.default {
                Some(d) => format!(
                    "ALTER VIEW {name} ALTER COLUMN {col} SET DEFAULT {}",
                    in_lists(d)
                ),
                None => format!("ALTER VIEW {name} ALTER COLUMN {col} DROP DEFAULT"),
            };
            out.add(Step::new(rank::COLUMN_DEFAULT, sql, &why("default")).require(n.clone()));
        }
        if c.has("statistics") {
            out.add(
                Step::new(
                    rank::TABLE_OPTIONS,
                    format!(
                        "ALTER {kw} {name} ALTER COLUMN {col} SET STATISTICS {}",
                        ec.statistics.unwrap_or(-1)
                    ),
                    &why("statistics"),
                )
                .require(n.clone()),
            );
        }
        if c.has("comment") {
            out.add(
                Step::new(
                    rank::COMMENT,
                    comment_sql(&format!("COLUMN {name}.{col}"), ec.comment.as_ref()),
                    &why("comment"),
                )
                .require(n.clone()),
            );
        }
        if c.has("grants") {
            let (ea, la) = (
                ec.acl.clone().unwrap_or_default(),
                lc.acl.clone().unwrap_or_default(),
            );
            for sql in grants_as(
                &format!("TABLE {name}"),
                Some(col),
                &ea,
                &la,
                e.owner.as_deref(),
            ) {
                out.add(Step::new(rank::PRIVILEGES, sql, &why("grants")).require(n.clone()));
            }
        }
    }
    parts::generate(
        cx,
        out,
        name,
        Some(parts_of(e)),
        Some(parts_of(l)),
        Around::default(),
        &[],
    );
    meta_altered(cx, out, &n, change, &meta(name, e), &meta(name, l));
}
