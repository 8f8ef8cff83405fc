//! Generators for text search parsers, templates, dictionaries and configurations
//! (mappings altered in place).

use super::{keys, rank, simple, Ctx, Def, Meta, Out};
use crate::diff::describe::pairs;
use crate::diff::plan::node;

pub(crate) fn text_search(cx: &Ctx<'_>, out: &mut Out) {
    let (e, l) = (cx.e, cx.l);
    let none = &|_: &str| None;
    for k in keys(&e.text_search_parsers, &l.text_search_parsers) {
        let meta = super::meta_fn::<crate::introspect::TextSearchParser>(|p| Meta {
            comment_on: format!("TEXT SEARCH PARSER {k}"),
            comment: p.comment.as_ref(),
            ..Meta::default()
        });
        simple(
            cx,
            out,
            &node("ts_parser", k),
            (rank::OPERATOR, rank::DROP_ROUTINE),
            e.text_search_parsers.get(k).map(|p| Def {
                create: vec![format!(
                    "CREATE TEXT SEARCH PARSER {k} ({})",
                    pairs(&p.options)
                )],
                meta: meta(p),
            }),
            l.text_search_parsers
                .get(k)
                .map(|p| (format!("DROP TEXT SEARCH PARSER IF EXISTS {k}"), meta(p))),
            None,
            none,
        );
    }
    for k in keys(&e.text_search_templates, &l.text_search_templates) {
        let meta = super::meta_fn::<crate::introspect::TextSearchTemplate>(|p| Meta {
            comment_on: format!("TEXT SEARCH TEMPLATE {k}"),
            comment: p.comment.as_ref(),
            ..Meta::default()
        });
        simple(
            cx,
            out,
            &node("ts_template", k),
            (rank::OPERATOR, rank::DROP_ROUTINE),
            e.text_search_templates.get(k).map(|p| Def {
                create: vec![format!(
                    "CREATE TEXT SEARCH TEMPLATE {k} ({})",
                    pairs(&p.options)
                )],
                meta: meta(p),
            }),
            l.text_search_templates
                .get(k)
                .map(|p| (format!("DROP TEXT SEARCH TEMPLATE IF EXISTS {k}"), meta(p))),
            None,
            none,
        );
    }
    for k in keys(&e.text_search_dictionaries, &l.text_search_dictionaries) {
        let meta = super::meta_fn::<crate::introspect::TextSearchDictionary>(|d| Meta {
            comment_on: format!("TEXT SEARCH DICTIONARY {k}"),
            comment: d.comment.as_ref(),
            owner_of: Some(format!("TEXT SEARCH DICTIONARY {k}")),
            owner: d.owner.as_ref(),
            ..Meta::default()
        });
        simple(
            cx,
            out,
            &node("ts_dictionary", k),
            (rank::OPERATOR, rank::DROP_ROUTINE),
            e.text_search_dictionaries.get(k).map(|d| Def {
                create: vec![format!(
                    "CREATE TEXT SEARCH DICTIONARY {k} (TEMPLATE = {}{})",
                    d.template,
                    d.options
                        .as_ref()
                        .map(|o| format!(", {o}"))
                        .unwrap_or_default()
                )],
                meta: meta(d),
            }),
            l.text_search_dictionaries.get(k).map(|d| {
                (
                    format!("DROP TEXT SEARCH DICTIONARY IF EXISTS {k}"),
                    meta(d),
                )
            }),
            None,
            none,
        );
    }
    for k in keys(&e.text_search_configurations, &l.text_search_configurations) {
        let meta = super::meta_fn::<crate::introspect::TextSearchConfiguration>(|c| Meta {
            comment_on: format!("TEXT SEARCH CONFIGURATION {k}"),
            comment: c.comment.as_ref(),
            owner_of: Some(format!("TEXT SEARCH CONFIGURATION {k}")),
            owner: c.owner.as_ref(),
            ..Meta::default()
        });
        let (ec, lc) = (
            e.text_search_configurations.get(k),
            l.text_search_configurations.get(k),
        );
        simple(
            cx,
            out,
            &node("ts_configuration", k),
            (rank::OPERATOR, rank::DROP_ROUTINE),
            ec.map(|c| {
                let mut create = vec![format!(
                    "CREATE TEXT SEARCH CONFIGURATION {k} (PARSER = {})",
                    c.parser
                )];
                create.extend(c.mappings.iter().map(|(t, d)| {
                    format!(
                        "ALTER TEXT SEARCH CONFIGURATION {k} ADD MAPPING FOR {t} WITH {}",
                        d.join(", ")
                    )
                }));
                Def {
                    create,
                    meta: meta(c),
                }
            }),
            lc.map(|c| {
                (
                    format!("DROP TEXT SEARCH CONFIGURATION IF EXISTS {k}"),
                    meta(c),
                )
            }),
            None,
            &|field| {
                if field != "mappings" {
                    return None;
                }
                let (ec, lc) = (ec?, lc?);
                let mut v = Vec::new();
                for t in lc.mappings.keys().filter(|t| !ec.mappings.contains_key(*t)) {
                    v.push(format!(
                        "ALTER TEXT SEARCH CONFIGURATION {k} DROP MAPPING FOR {t}"
                    ));
                }
                for (t, d) in &ec.mappings {
                    match lc.mappings.get(t) {
                        None => v.push(format!(
                            "ALTER TEXT SEARCH CONFIGURATION {k} ADD MAPPING FOR {t} WITH {}",
                            d.join(", ")
                        )),
                        Some(ld) if ld != d => v.push(format!(
                            "ALTER TEXT SEARCH CONFIGURATION {k} ALTER MAPPING FOR {t} WITH {}",
                            d.join(", ")
                        )),
                        _ => {}
                    }
                }
                Some(v)
            },
        );
    }
}
