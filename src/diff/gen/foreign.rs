//! Generators for foreign data wrappers, servers and user mappings (secret options are
//! never read: a mapping that needs one says so in the script).

use super::{keys, options_change, options_list, rank, simple, Ctx, Def, Meta, Out};
use crate::diff::plan::node;
use crate::history::quote_literal;

pub(crate) fn foreign_data(cx: &Ctx<'_>, out: &mut Out) {
    let (e, l) = (cx.e, cx.l);
    for k in keys(&e.foreign_data_wrappers, &l.foreign_data_wrappers) {
        let meta = super::meta_fn::<crate::introspect::ForeignDataWrapper>(|w| Meta {
            comment_on: format!("FOREIGN DATA WRAPPER {k}"),
            comment: w.comment.as_ref(),
            owner_of: Some(format!("FOREIGN DATA WRAPPER {k}")),
            owner: w.owner.as_ref(),
            grant_on: Some((format!("FOREIGN DATA WRAPPER {k}"), 'F')),
            acl: w.acl.as_ref(),
        });
        let (ew, lw) = (
            e.foreign_data_wrappers.get(k),
            l.foreign_data_wrappers.get(k),
        );
        simple(
            cx,
            out,
            &node("foreign_data_wrapper", k),
            (rank::OPERATOR, rank::DROP_LATE),
            ew.map(|w| {
                let mut sql = format!("CREATE FOREIGN DATA WRAPPER {k}");
                if let Some(h) = &w.handler {
                    sql.push_str(&format!(" HANDLER {h}"));
                }
                if let Some(v) = &w.validator {
                    sql.push_str(&format!(" VALIDATOR {v}"));
                }
                if !w.options.is_empty() {
                    sql.push_str(&format!(" OPTIONS ({})", options_list(&w.options)));
                }
                Def {
                    create: vec![sql],
                    meta: meta(w),
                }
            }),
            lw.map(|w| (format!("DROP FOREIGN DATA WRAPPER IF EXISTS {k}"), meta(w))),
            None,
            &|field| {
                let (ew, lw) = (ew?, lw?);
                Some(vec![match field {
                    "handler" => format!(
                        "ALTER FOREIGN DATA WRAPPER {k} {}",
                        ew.handler
                            .as_ref()
                            .map(|h| format!("HANDLER {h}"))
                            .unwrap_or_else(|| "NO HANDLER".into())
                    ),
                    "validator" => format!(
                        "ALTER FOREIGN DATA WRAPPER {k} {}",
                        ew.validator
                            .as_ref()
                            .map(|h| format!("VALIDATOR {h}"))
                            .unwrap_or_else(|| "NO VALIDATOR".into())
                    ),
                    "options" => format!(
                        "ALTER FOREIGN DATA WRAPPER {k} {}",
                        options_change(&ew.options, &lw.options)?
                    ),
                    _ => return None,
                }])
            },
        );
    }
    for k in keys(&e.foreign_servers, &l.foreign_servers) {
        let meta = super::meta_fn::<crate::introspect::ForeignServer>(|s| Meta {
            comment_on: format!("SERVER {k}"),
            comment: s.comment.as_ref(),
            owner_of: Some(format!("SERVER {k}")),
            owner: s.owner.as_ref(),
            grant_on: Some((format!("FOREIGN SERVER {k}"), 'S')),
            acl: s.acl.as_ref(),
        });
        let (es, ls) = (e.foreign_servers.get(k), l.foreign_servers.get(k));
        simple(
            cx,
            out,
            &node("server", k),
            (rank::OPERATOR, rank::DROP_LATE),
            es.map(|s| {
                let mut sql = format!("CREATE SERVER {k}");
                if let Some(t) = &s.server_type {
                    sql.push_str(&format!(" TYPE {}", quote_literal(t)));
                }
                if let Some(v) = &s.version {
                    sql.push_str(&format!(" VERSION {}", quote_literal(v)));
                }
                sql.push_str(&format!(" FOREIGN DATA WRAPPER {}", s.wrapper));
                if !s.options.is_empty() {
                    sql.push_str(&format!(" OPTIONS ({})", options_list(&s.options)));
                }
                Def {
                    create: vec![sql],
                    meta: meta(s),
                }
            }),
            ls.map(|s| (format!("DROP SERVER IF EXISTS {k}"), meta(s))),
            None,
            &|field| {
                let (es, ls) = (es?, ls?);
                Some(vec![match field {
                    "version" => format!(
                        "ALTER SERVER {k} VERSION {}",
                        quote_literal(es.version.as_ref()?)
                    ),
                    "options" => format!(
                        "ALTER SERVER {k} {}",
                        options_change(&es.options, &ls.options)?
                    ),
                    _ => return None,
                }])
            },
        );
    }
    for k in keys(&e.user_mappings, &l.user_mappings) {
        let (eu, lu) = (e.user_mappings.get(k), l.user_mappings.get(k));
        let target =
            |u: &crate::introspect::UserMapping| format!("FOR {} SERVER {}", u.role, u.server);
        let by_hand = |u: &crate::introspect::UserMapping, names: Vec<&String>| -> Vec<String> {
            names.into_iter().map(|s| format!(
                "-- set by hand (secrets are not read): ALTER USER MAPPING {} OPTIONS (ADD {s} '…')", target(u)
            )).collect()
        };
        simple(
            cx,
            out,
            &node("user_mapping", k),
            (rank::OTHER, rank::DROP_LATE),
            eu.map(|u| {
                let mut sql = format!("CREATE USER MAPPING {}", target(u));
                if !u.options.is_empty() {
                    sql.push_str(&format!(" OPTIONS ({})", options_list(&u.options)));
                }
                let mut create = vec![sql];
                create.extend(by_hand(u, u.secret_options.iter().collect()));
                Def {
                    create,
                    meta: Meta::default(),
                }
            }),
            lu.map(|u| {
                (
                    format!("DROP USER MAPPING IF EXISTS {}", target(u)),
                    Meta::default(),
                )
            }),
            None,
            &|field| {
                let (eu, lu) = (eu?, lu?);
                match field {
                    "options" => Some(vec![format!(
                        "ALTER USER MAPPING {} {}",
                        target(eu),
                        options_change(&eu.options, &lu.options)?
                    )]),
                    "secret_options" => {
                        let mut v: Vec<String> = lu
                            .secret_options
                            .difference(&eu.secret_options)
                            .map(|s| {
                                format!("ALTER USER MAPPING {} OPTIONS (DROP {s})", target(eu))
                            })
                            .collect();
                        v.extend(by_hand(
                            eu,
                            eu.secret_options.difference(&lu.secret_options).collect(),
                        ));
                        Some(v)
                    }
                    _ => None,
                }
            },
        );
    }
}
