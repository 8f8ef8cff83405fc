//! Generators for schemas, extensions, sequences, collations, text search objects, foreign
//! data wrappers, servers, user mappings, publications, event triggers, extended
//! statistics and default privileges.

use super::privileges::grants;
use super::{keys, rank, role, simple, Ctx, Def, Meta, Out};
use crate::diff::order::Step;
use crate::diff::plan::{node, Action};
use crate::history::quote_literal;
use crate::introspect::{Collation, Publication, Sequence};

pub(crate) fn generate(cx: &Ctx<'_>, out: &mut Out) {
    let (e, l) = (cx.e, cx.l);
    let none = &|_: &str| None;
    for k in keys(&e.schemas, &l.schemas) {
        let n = node("schema", k);
        let meta = super::meta_fn::<crate::introspect::Schema>(|s| Meta {
            comment_on: format!("SCHEMA {k}"),
            comment: s.comment.as_ref(),
            owner_of: Some(format!("SCHEMA {k}")),
            owner: s.owner.as_ref(),
            grant_on: Some((format!("SCHEMA {k}"), 'n')),
            acl: s.acl.as_ref(),
        });
        simple(
            cx,
            out,
            &n,
            (rank::SCHEMA, rank::DROP_SCHEMA),
            e.schemas.get(k).map(|s| Def {
                create: vec![format!("CREATE SCHEMA {k}")],
                meta: meta(s),
            }),
            l.schemas
                .get(k)
                .map(|s| (format!("DROP SCHEMA IF EXISTS {k}"), meta(s))),
            None,
            none,
        );
    }

    for k in keys(&e.extensions, &l.extensions) {
        let n = node("extension", k);
        let meta = super::meta_fn::<crate::introspect::Extension>(|x| Meta {
            comment_on: format!("EXTENSION {k}"),
            comment: x.comment.as_ref(),
            ..Meta::default()
        });
        let ex = e.extensions.get(k);
        simple(
            cx,
            out,
            &n,
            (rank::EXTENSION, rank::DROP_EXTENSION),
            ex.map(|x| Def {
                create: vec![format!(
                    "CREATE EXTENSION IF NOT EXISTS {k} WITH SCHEMA {} VERSION {}",
                    x.schema,
                    quote_literal(&x.version)
                )],
                meta: meta(x),
            }),
            l.extensions
                .get(k)
                .map(|x| (format!("DROP EXTENSION IF EXISTS {k}"), meta(x))),
            Some(format!("drops extension {k} and any data its objects hold")),
            &|field| {
                let x = ex?;
                match field {
                    "version" => Some(vec![format!(
                        "ALTER EXTENSION {k} UPDATE TO {}",
                        quote_literal(&x.version)
                    )]),
                    "schema" => Some(vec![format!("ALTER EXTENSION {k} SET SCHEMA {}", x.schema)]),
                    _ => None,
                }
            },
        );
    }

    for k in keys(&e.collations, &l.collations) {
        let meta = super::meta_fn::<Collation>(|c| Meta {
            comment_on: format!("COLLATION {k}"),
            comment: c.comment.as_ref(),
            owner_of: Some(format!("COLLATION {k}")),
            owner: c.owner.as_ref(),
            ..Meta::default()
        });
        simple(
            cx,
            out,
            &node("collation", k),
            (rank::COLLATION, rank::DROP_TYPE),
            e.collations.get(k).map(|c| Def {
                create: vec![collation_sql(k, c)],
                meta: meta(c),
            }),
            l.collations
                .get(k)
                .map(|c| (format!("DROP COLLATION IF EXISTS {k}"), meta(c))),
            None,
            none,
        );
    }

    for k in keys(&e.sequences, &l.sequences) {
        sequence(cx, out, k);
    }

    super::textsearch::text_search(cx, out);
    super::foreign::foreign_data(cx, out);

    for k in keys(&e.publications, &l.publications) {
        let meta = super::meta_fn::<Publication>(|p| Meta {
            comment_on: format!("PUBLICATION {k}"),
            comment: p.comment.as_ref(),
            owner_of: Some(format!("PUBLICATION {k}")),
            owner: p.owner.as_ref(),
            ..Meta::default()
        });
        let (ep, lp) = (e.publications.get(k), l.publications.get(k));
        simple(
            cx,
            out,
            &node("publication", k),
            (rank::OTHER, rank::DROP_LATE),
            ep.map(|p| Def {
                create: vec![publication_sql(k, p)],
                meta: meta(p),
            }),
            lp.map(|p| (format!("DROP PUBLICATION IF EXISTS {k}"), meta(p))),
            None,
            &|field| {
                let (ep, lp) = (ep?, lp?);
                match field {
                    "publish" | "via_root" => Some(vec![format!(
                        "ALTER PUBLICATION {k} SET ({})",
                        publication_with(ep)
                    )]),
                    // Column lists cannot live beside schemas: schemas leave first and
                    // come last.
                    "tables" => {
                        let mut v: Vec<String> = lp
                            .schemas
                            .difference(&ep.schemas)
                            .map(|s| format!("ALTER PUBLICATION {k} DROP TABLES IN SCHEMA {s}"))
                            .collect();
                        for (t, c) in &lp.tables {
                            if ep.tables.get(t) != Some(c) {
                                v.push(format!("ALTER PUBLICATION {k} DROP TABLE {t}"));
                            }
                        }
                        for (t, c) in &ep.tables {
                            if lp.tables.get(t) != Some(c) {
                                v.push(format!("ALTER PUBLICATION {k} ADD TABLE {t}{c}"));
                            }
                        }
                        Some(v)
                    }
                    "schemas" => {
                        let mut v: Vec<String> = if ep.tables != lp.tables {
                            Vec::new()
                        } else {
                            lp.schemas
                                .difference(&ep.schemas)
                                .map(|s| format!("ALTER PUBLICATION {k} DROP TABLES IN SCHEMA {s}"))
                                .collect()
                        };
                        v.extend(
                            ep.schemas
                                .difference(&lp.schemas)
                                .map(|s| format!("ALTER PUBLICATION {k} ADD TABLES IN SCHEMA {s}")),
                        );
                        Some(v)
                    }
                    _ => None,
                }
            },
        );
    }

    for k in keys(&e.event_triggers, &l.event_triggers) {
        let meta = super::meta_fn::<crate::introspect::EventTrigger>(|t| Meta {
            comment_on: format!("EVENT TRIGGER {k}"),
            comment: t.comment.as_ref(),
            owner_of: Some(format!("EVENT TRIGGER {k}")),
            owner: t.owner.as_ref(),
            ..Meta::default()
        });
        let et = e.event_triggers.get(k);
        let enable = |state: &str| match state {
            "D" => "DISABLE",
            "R" => "ENABLE REPLICA",
            "A" => "ENABLE ALWAYS",
            _ => "ENABLE",
        };
        let n = node("event_trigger", k);
        let before = out.steps.len();
        simple(
            cx,
            out,
            &n,
            (rank::OTHER, rank::DROP_TRIGGER),
            et.map(|t| {
                let mut create = vec![format!(
                    "CREATE EVENT TRIGGER {k} ON {}{} EXECUTE FUNCTION {}()",
                    t.event,
                    if t.tags.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " WHEN TAG IN ({})",
                            t.tags
                                .iter()
                                .map(|x| quote_literal(x))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                    t.function
                )];
                if t.enabled != "O" {
                    create.push(format!("ALTER EVENT TRIGGER {k} {}", enable(&t.enabled)));
                }
                Def {
                    create,
                    meta: meta(t),
                }
            }),
            l.event_triggers
                .get(k)
                .map(|t| (format!("DROP EVENT TRIGGER IF EXISTS {k}"), meta(t))),
            None,
            &|field| match (field, et) {
                ("enabled", Some(t)) => Some(vec![format!(
                    "ALTER EVENT TRIGGER {k} {}",
                    enable(&t.enabled)
                )]),
                _ => None,
            },
        );
        // Event triggers fire on the script's own statements: they come last.
        for s in &mut out.steps[before..] {
            if s.provides.contains(&n) || s.requires.contains(&n) {
                s.last = true;
            }
        }
    }

    for k in keys(&e.statistics, &l.statistics) {
        let meta = super::meta_fn::<crate::introspect::Statistics>(|s| Meta {
            comment_on: format!("STATISTICS {k}"),
            comment: s.comment.as_ref(),
            owner_of: Some(format!("STATISTICS {k}")),
            owner: s.owner.as_ref(),
            ..Meta::default()
        });
        let es = e.statistics.get(k);
        let target =
            |t: Option<i32>| format!("ALTER STATISTICS {k} SET STATISTICS {}", t.unwrap_or(-1));
        simple(
            cx,
            out,
            &node("statistics", k),
            (rank::STATISTICS, rank::DROP_INDEX),
            es.map(|s| {
                let mut create = vec![s.definition.clone()];
                if s.target.is_some() {
                    create.push(target(s.target));
                }
                Def {
                    create,
                    meta: meta(s),
                }
            }),
            l.statistics
                .get(k)
                .map(|s| (format!("DROP STATISTICS IF EXISTS {k}"), meta(s))),
            None,
            &|field| match (field, es) {
                ("target", Some(s)) => Some(vec![target(s.target)]),
                _ => None,
            },
        );
    }

    for k in keys(&e.access_methods, &l.access_methods) {
        let meta = super::meta_fn::<crate::introspect::AccessMethod>(|a| Meta {
            comment_on: format!("ACCESS METHOD {k}"),
            comment: a.comment.as_ref(),
            ..Meta::default()
        });
        simple(
            cx,
            out,
            &node("access_method", k),
            (rank::EXTENSION, rank::DROP_EXTENSION),
            e.access_methods.get(k).map(|a| Def {
                create: vec![format!(
                    "CREATE ACCESS METHOD {k} TYPE {} HANDLER {}",
                    a.method_type.to_uppercase(),
                    a.handler
                )],
                meta: meta(a),
            }),
            l.access_methods
                .get(k)
                .map(|a| (format!("DROP ACCESS METHOD IF EXISTS {k}"), meta(a))),
            None,
            none,
        );
    }

    for k in keys(&e.conversions, &l.conversions) {
        let meta = super::meta_fn::<crate::introspect::Conversion>(|c| Meta {
            comment_on: format!("CONVERSION {k}"),
            comment: c.comment.as_ref(),
            owner_of: Some(format!("CONVERSION {k}")),
            owner: c.owner.as_ref(),
            ..Meta::default()
        });
        simple(
            cx,
            out,
            &node("conversion", k),
            (rank::OPERATOR, rank::DROP_ROUTINE),
            e.conversions.get(k).map(|c| Def {
                create: vec![format!(
                    "CREATE {}CONVERSION {k} FOR {} TO {} FROM {}",
                    if c.default { "DEFAULT " } else { "" },
                    quote_literal(&c.source),
                    quote_literal(&c.destination),
                    c.function
                )],
                meta: meta(c),
            }),
            l.conversions
                .get(k)
                .map(|c| (format!("DROP CONVERSION IF EXISTS {k}"), meta(c))),
            None,
            none,
        );
    }

    if cx.privileges {
        for k in keys(&e.extension_grants, &l.extension_grants) {
            let n = node("extension_member", k);
            let Some(w) = cx.work(&n) else { continue };
            let (eg, lg) = (e.extension_grants.get(k), l.extension_grants.get(k));
            let Some(any) = eg.or(lg) else { continue };
            let acl = |g: Option<&crate::introspect::ExtensionGrants>| {
                g.map(|g| g.acl.clone())
                    .unwrap_or_else(|| any.initial.clone())
            };
            let mut prev: Option<usize> = None;
            for sql in super::privileges::grants_as(k, None, &acl(eg), &acl(lg), Some(&any.owner)) {
                let mut s = Step::new(rank::PRIVILEGES, sql, &w.causes).last();
                if let Some(p) = prev {
                    s = s.after(p);
                }
                prev = Some(out.add(s));
            }
        }
        default_privileges(cx, out);
    }
}

fn collation_sql(k: &str, c: &Collation) -> String {
    let mut props = vec![format!("provider = {}", c.provider)];
    if let Some(v) = &c.locale {
        props.push(format!("locale = {}", quote_literal(v)));
    }
    if let Some(v) = &c.lc_collate {
        props.push(format!("lc_collate = {}", quote_literal(v)));
    }
    if let Some(v) = &c.lc_ctype {
        props.push(format!("lc_ctype = {}", quote_literal(v)));
    }
    if let Some(v) = &c.rules {
        props.push(format!("rules = {}", quote_literal(v)));
    }
    if !c.deterministic {
        props.push("deterministic = false".into());
    }
    format!("CREATE COLLATION {k} ({})", props.join(", "))
}

/// `AS bigint INCREMENT BY 1 ..`.
pub(crate) fn sequence_options(s: &Sequence) -> String {
    format!(
        "AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
        s.data_type,
        s.increment,
        s.min,
        s.max,
        s.start,
        s.cache,
        if s.cycle { "CYCLE" } else { "NO CYCLE" }
    )
}

fn owned_by(s: &Sequence) -> String {
    s.owned_by
        .as_ref()
        .map(|(t, c)| format!("{t}.{c}"))
        .unwrap_or_else(|| "NONE".into())
}

/// A sequence's dependencies, but not the column it belongs to (set apart by `OWNED BY`).
fn sequence_deps(deps: Vec<String>) -> Vec<String> {
    deps.into_iter()
        .filter(|d| !d.starts_with("column ") && !d.starts_with("table "))
        .collect()
}

fn sequence(cx: &Ctx<'_>, out: &mut Out, k: &str) {
    let n = node("sequence", k);
    let Some(w) = cx.work(&n) else { return };
    let (es, ls) = (cx.e.sequences.get(k), cx.l.sequences.get(k));
    let meta = super::meta_fn::<Sequence>(|s| Meta {
        comment_on: format!("SEQUENCE {k}"),
        comment: s.comment.as_ref(),
        owner_of: Some(format!("SEQUENCE {k}")),
        owner: s.owner.as_ref(),
        grant_on: Some((format!("SEQUENCE {k}"), 's')),
        acl: s.acl.as_ref(),
    });
    let own = |out: &mut Out, s: &Sequence, why: &[usize], after: Option<usize>| {
        let mut st = Step::new(
            rank::OWNED_BY,
            format!("ALTER SEQUENCE {k} OWNED BY {}", owned_by(s)),
            why,
        )
        .require(n.clone());
        if let Some((t, c)) = &s.owned_by {
            st = st.require(format!("column {t}.{c}"));
        }
        if let Some(a) = after {
            st = st.after(a);
        }
        out.add(st);
    };
    match w.action {
        Action::Create => {
            let s = es.expect("expected sequence");
            let unlogged = if s.unlogged { "UNLOGGED " } else { "" };
            let i = out.add(
                Step::new(
                    rank::SEQUENCE,
                    format!("CREATE {unlogged}SEQUENCE {k} {}", sequence_options(s)),
                    &w.causes,
                )
                .provide(n.clone())
                .provide(format!("rel {k}"))
                .require_all(sequence_deps(cx.edeps(&n))),
            );
            if s.owned_by.is_some() {
                own(out, s, &w.causes, Some(i));
            }
            super::meta_created(cx, out, &n, &meta(s), &w.causes, Some(i));
        }
        Action::Drop => {
            out.add(
                Step::new(
                    rank::DROP_SEQUENCE,
                    format!("DROP SEQUENCE IF EXISTS {k}"),
                    &w.causes,
                )
                .remove(n.clone())
                .remove(format!("rel {k}"))
                .uses_all(sequence_deps(cx.ldeps(&n)))
                .loss(format!("drops sequence {k} and its current value")),
            );
        }
        Action::Disown => {
            let (s, l) = (es.expect("expected sequence"), ls.expect("live sequence"));
            let mut st = Step::new(
                rank::DISOWN,
                format!("ALTER SEQUENCE {k} OWNED BY NONE"),
                &w.causes,
            );
            if let Some((t, c)) = &l.owned_by {
                st = st.uses_all([format!("column {t}.{c}")]);
            }
            let i = out.add(st);
            own(out, s, &w.causes, Some(i));
            alter_sequence(cx, out, k, &n, w.change, s, l, &meta);
        }
        _ => {
            let (s, l) = (es.expect("expected sequence"), ls.expect("live sequence"));
            if cx.has(w.change, "owned_by") {
                let mut st = Step::new(
                    rank::OWNED_BY,
                    format!("ALTER SEQUENCE {k} OWNED BY {}", owned_by(s)),
                    &cx.field(w.change, "owned_by"),
                )
                .require(n.clone());
                if let Some((t, c)) = &s.owned_by {
                    st = st.require(format!("column {t}.{c}"));
                }
                if let Some((t, c)) = &l.owned_by {
                    st = st.uses_all([format!("column {t}.{c}")]);
                }
                out.add(st);
            }
            alter_sequence(cx, out, k, &n, w.change, s, l, &meta);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn alter_sequence<'m>(
    cx: &Ctx<'_>,
    out: &mut Out,
    k: &str,
    n: &str,
    change: Option<usize>,
    s: &'m Sequence,
    l: &'m Sequence,
    meta: &dyn Fn(&'m Sequence) -> Meta<'m>,
) {
    let fields = [
        "data_type",
        "start",
        "increment",
        "min",
        "max",
        "cache",
        "cycle",
    ];
    let why: Vec<usize> = fields.iter().flat_map(|f| cx.field(change, f)).collect();
    if !why.is_empty() {
        out.add(
            Step::new(
                rank::SEQUENCE,
                format!("ALTER SEQUENCE {k} {}", sequence_options(s)),
                &why,
            )
            .provide(n.to_string()),
        );
    }
    if cx.has(change, "unlogged") {
        out.add(
            Step::new(
                rank::SEQUENCE,
                format!(
                    "ALTER SEQUENCE {k} SET {}",
                    if s.unlogged { "UNLOGGED" } else { "LOGGED" }
                ),
                &cx.field(change, "unlogged"),
            )
            .provide(n.to_string()),
        );
    }
    super::meta_altered(cx, out, n, change, &meta(s), &meta(l));
}

fn publication_with(p: &Publication) -> String {
    format!(
        "publish = {}, publish_via_partition_root = {}",
        quote_literal(&p.publish),
        p.via_root
    )
}

fn publication_sql(k: &str, p: &Publication) -> String {
    // `TABLE a, b` (what PostgreSQL before 15 reads), then `TABLES IN SCHEMA s, t`.
    let mut targets: Vec<String> = Vec::new();
    if !p.tables.is_empty() {
        let tables: Vec<String> = p.tables.iter().map(|(t, c)| format!("{t}{c}")).collect();
        targets.push(format!("TABLE {}", tables.join(", ")));
    }
    if !p.schemas.is_empty() {
        let schemas: Vec<&str> = p.schemas.iter().map(String::as_str).collect();
        targets.push(format!("TABLES IN SCHEMA {}", schemas.join(", ")));
    }
    let what = if p.all_tables {
        " FOR ALL TABLES".to_string()
    } else if targets.is_empty() {
        String::new()
    } else {
        format!(" FOR {}", targets.join(", "))
    };
    format!(
        "CREATE PUBLICATION {k}{what} WITH ({})",
        publication_with(p)
    )
}

fn default_privileges(cx: &Ctx<'_>, out: &mut Out) {
    let (e, l) = (cx.e, cx.l);
    for k in keys(&e.default_privileges, &l.default_privileges) {
        let n = node("default_privileges", k);
        let Some(w) = cx.work(&n) else { continue };
        let d = e
            .default_privileges
            .get(k)
            .or_else(|| l.default_privileges.get(k))
            .expect("one side");
        let letter = match d.object_kind.as_str() {
            "TABLES" => 'r',
            "SEQUENCES" => 's',
            "FUNCTIONS" => 'f',
            "TYPES" => 'T',
            _ => 'n',
        };
        // Without an entry, a role's global defaults are the built-in ones, a schema's none.
        let unquoted = d.role.trim_matches('"').replace("\"\"", "\"");
        let builtin = if d.schema.is_none() {
            cx.acl_defaults
                .baseline(letter, Some(&unquoted), &Default::default())
        } else {
            Vec::new()
        };
        let expected = e
            .default_privileges
            .get(k)
            .map(|x| x.acl.clone())
            .unwrap_or_else(|| builtin.clone());
        let live = l
            .default_privileges
            .get(k)
            .map(|x| x.acl.clone())
            .unwrap_or(builtin);
        let prefix = match &d.schema {
            Some(s) => format!(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {s} ",
                role(&d.role)
            ),
            None => format!("ALTER DEFAULT PRIVILEGES FOR ROLE {} ", role(&d.role)),
        };
        // Given last, so that what the script creates does not get them; taken back before
        // their schema is dropped.
        let gone = w.action == Action::Drop;
        let mut prev: Option<usize> = None;
        for sql in grants(&d.object_kind, None, &expected, &live) {
            let sql = match sql.strip_prefix("SET ROLE ") {
                Some(rest) => format!(
                    "SET ROLE {}",
                    rest.replacen("; ", &format!("; {prefix}"), 1)
                ),
                None => format!("{prefix}{sql}"),
            };
            let mut s = Step::new(rank::PRIVILEGES, sql, &w.causes);
            s = if gone { s } else { s.last() };
            if let Some(schema) = &d.schema {
                s = if gone {
                    s.uses_all([format!("schema {schema}")])
                } else {
                    s.require(format!("schema {schema}"))
                };
            }
            if let Some(p) = prev {
                s = s.after(p);
            }
            prev = Some(out.add(s));
        }
    }
}
