//! The one walk over two models that makes the [`ChangeSet`]: every kind of the model,
//! key by key — added, dropped, or altered with the fields that differ.
//!
//! Columns are compared by name; their order is not compared (PostgreSQL cannot reorder
//! the columns of an existing table, so no script could repair it). What a partition or an
//! inheritance child inherits is its parent's difference, unless the table joins or leaves
//! its parent: then what it inherits on one side is what it must have on the other.

use std::collections::BTreeMap;

use crate::diff::change::{ChangeKind, ChangeSet, FieldChange, ObjectChange, ObjectKind};
use crate::diff::describe::{
    list, opt, options_summary, pairs, table_summary, trigger_state, type_summary,
};
use crate::diff::CompareOptions;

mod relations;
use crate::introspect::CatalogModel;
pub(crate) use relations::*;

/// The fields of one object that differ.
#[derive(Default)]
pub(crate) struct Fields(Vec<FieldChange>);

impl Fields {
    /// Records `field` when the two values differ; true if they do.
    fn val<T: PartialEq>(
        &mut self,
        field: &str,
        e: &T,
        l: &T,
        show: impl Fn(&T) -> String,
    ) -> bool {
        if e == l {
            return false;
        }
        self.0.push(FieldChange {
            field: field.to_string(),
            expected: show(e),
            live: show(l),
        });
        true
    }

    fn text(&mut self, field: &str, e: &Option<String>, l: &Option<String>) -> bool {
        self.val(field, e, l, opt)
    }

    fn string(&mut self, field: &str, e: &str, l: &str) -> bool {
        self.val(field, &e, &l, |s| s.to_string())
    }

    /// An expression or definition: compared as PostgreSQL prints it once read back.
    fn expr(&mut self, field: &str, e: &str, l: &str) -> bool {
        use crate::diff::describe::normalized;
        if normalized(e) == normalized(l) {
            return false;
        }
        self.string(field, e, l)
    }

    fn expr_opt(&mut self, field: &str, e: &Option<String>, l: &Option<String>) -> bool {
        use crate::diff::describe::normalized;
        let n = |v: &Option<String>| v.as_deref().map(|s| normalized(s).into_owned());
        if n(e) == n(l) {
            return false;
        }
        self.text(field, e, l)
    }

    fn flag(&mut self, field: &str, e: bool, l: bool) -> bool {
        self.val(field, &e, &l, |b| b.to_string())
    }

    fn map(&mut self, field: &str, e: &BTreeMap<String, String>, l: &BTreeMap<String, String>) {
        self.val(field, e, l, options_summary);
    }

    fn owner(&mut self, o: &CompareOptions, e: &Option<String>, l: &Option<String>) {
        if o.privileges {
            self.text("owner", e, l);
        }
    }

    /// Grants compare as sets: their order is how they were given.
    fn grants(
        &mut self,
        o: &CompareOptions,
        field: &str,
        e: &Option<Vec<String>>,
        l: &Option<Vec<String>>,
    ) {
        if o.privileges {
            let sorted =
                |v: &Option<Vec<String>>| v.as_ref().map(|a| crate::diff::gen::sorted_acl(a));
            self.val(field, &sorted(e), &sorted(l), |v| {
                v.as_ref().map(|a| a.join(", ")).unwrap_or_default()
            });
        }
    }
}

pub(crate) struct Walk<'o> {
    out: Vec<ObjectChange>,
    options: &'o CompareOptions,
}

impl Walk<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: ObjectKind,
        name: &str,
        parent: Option<&str>,
        object: &str,
        change: ChangeKind,
        definition: Option<String>,
        fields: Vec<FieldChange>,
    ) {
        self.out.push(ObjectChange {
            kind,
            name: name.to_string(),
            parent: parent.map(str::to_string),
            object: object.to_string(),
            change,
            definition,
            fields,
        });
    }

    /// Walks the keys of two maps of one kind: added, altered in key order, then dropped.
    #[allow(clippy::too_many_arguments)]
    fn kind<V>(
        &mut self,
        kind: impl Fn(&V) -> ObjectKind,
        e: &BTreeMap<String, V>,
        l: &BTreeMap<String, V>,
        parent: Option<&str>,
        object: impl Fn(&str, &V) -> String,
        summary: impl Fn(&V) -> Option<String>,
        fields: impl Fn(&mut Fields, &CompareOptions, &V, &V),
    ) {
        for (k, ev) in e {
            match l.get(k) {
                None => self.push(
                    kind(ev),
                    k,
                    parent,
                    &object(k, ev),
                    ChangeKind::Added,
                    summary(ev),
                    vec![],
                ),
                Some(lv) => {
                    let mut f = Fields::default();
                    fields(&mut f, self.options, ev, lv);
                    if !f.0.is_empty() {
                        self.push(
                            kind(ev),
                            k,
                            parent,
                            &object(k, ev),
                            ChangeKind::Altered,
                            None,
                            f.0,
                        );
                    }
                }
            }
        }
        for (k, lv) in l {
            if !e.contains_key(k) {
                self.push(
                    kind(lv),
                    k,
                    parent,
                    &object(k, lv),
                    ChangeKind::Dropped,
                    summary(lv),
                    vec![],
                );
            }
        }
    }
}

/// A list compared as a set (its order is how it was made).
fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// `schema name` style group label for top-level objects.
fn label(kind: ObjectKind) -> impl Fn(&str) -> String {
    move |k| format!("{} {k}", kind.words())
}

/// Compares the expected model with the live one.
pub fn changes(
    expected: &CatalogModel,
    live: &CatalogModel,
    options: &CompareOptions,
) -> ChangeSet {
    let mut w = Walk {
        out: Vec::new(),
        options,
    };
    use ObjectKind as K;
    let (e, l) = (expected, live);

    w.kind(
        fixed_kind(K::Schema),
        &e.schemas,
        &l.schemas,
        None,
        |k, _| label(K::Schema)(k),
        |_| None,
        |f, o, e, l| {
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
            f.grants(o, "grants", &e.acl, &l.acl);
        },
    );
    w.kind(
        fixed_kind(K::Extension),
        &e.extensions,
        &l.extensions,
        None,
        |k, _| label(K::Extension)(k),
        |x| Some(format!("version {}", x.version)),
        |f, _, e, l| {
            f.string("version", &e.version, &l.version);
            f.string("schema", &e.schema, &l.schema);
            f.text("comment", &e.comment, &l.comment);
        },
    );
    w.kind(
        fixed_kind(K::Collation),
        &e.collations,
        &l.collations,
        None,
        |k, _| label(K::Collation)(k),
        |c| Some(format!("provider {}", c.provider)),
        |f, o, e, l| {
            f.string("provider", &e.provider, &l.provider);
            f.text("lc_collate", &e.lc_collate, &l.lc_collate);
            f.text("lc_ctype", &e.lc_ctype, &l.lc_ctype);
            f.text("locale", &e.locale, &l.locale);
            f.text("rules", &e.rules, &l.rules);
            f.flag("deterministic", e.deterministic, l.deterministic);
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
        },
    );
    w.kind(
        fixed_kind(K::Type),
        &e.types,
        &l.types,
        None,
        |k, _| label(K::Type)(k),
        |t| Some(type_summary(t)),
        |f, o, e, l| {
            if f.val("kind", &e.kind, &l.kind, |v| {
                format!("{v:?}").to_lowercase()
            }) {
                return;
            }
            f.val("labels", &e.labels, &l.labels, |v| v.join(", "));
            f.text("base_type", &e.base_type, &l.base_type);
            f.flag("not_null", e.not_null, l.not_null);
            f.expr_opt("default", &e.default, &l.default);
            f.text("collation", &e.collation, &l.collation);
            let checks = |m: &BTreeMap<String, String>| -> BTreeMap<String, String> {
                m.iter()
                    .map(|(k, v)| (k.clone(), crate::diff::describe::normalized(v).into_owned()))
                    .collect()
            };
            if checks(&e.checks) != checks(&l.checks) {
                f.val("checks", &e.checks, &l.checks, |m| {
                    m.iter()
                        .map(|(n, d)| format!("{n} {d}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                });
            }
            f.map("check_comments", &e.check_comments, &l.check_comments);
            f.val("attributes", &e.attributes, &l.attributes, |v| {
                v.iter()
                    .map(|(n, t)| format!("{n} {t}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            f.map(
                "attribute_comments",
                &e.attribute_comments,
                &l.attribute_comments,
            );
            f.val("properties", &e.properties, &l.properties, |v| pairs(v));
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
            f.grants(o, "grants", &e.acl, &l.acl);
        },
    );
    w.kind(
        fixed_kind(K::Sequence),
        &e.sequences,
        &l.sequences,
        None,
        |k, _| label(K::Sequence)(k),
        |_| None,
        |f, o, e, l| {
            let n = |v: &i64| v.to_string();
            f.string("data_type", &e.data_type, &l.data_type);
            f.val("start", &e.start, &l.start, n);
            f.val("increment", &e.increment, &l.increment, n);
            f.val("min", &e.min, &l.min, n);
            f.val("max", &e.max, &l.max, n);
            f.val("cache", &e.cache, &l.cache, n);
            f.flag("cycle", e.cycle, l.cycle);
            f.flag("unlogged", e.unlogged, l.unlogged);
            f.val("owned_by", &e.owned_by, &l.owned_by, |o| {
                o.as_ref()
                    .map(|(t, c)| format!("{t}.{c}"))
                    .unwrap_or_else(|| "(none)".into())
            });
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
            f.grants(o, "grants", &e.acl, &l.acl);
        },
    );
    w.kind(
        fixed_kind(K::Function),
        &e.functions,
        &l.functions,
        None,
        |k, x| format!("{} {k}", x.kind),
        |x| Some(x.definition.clone()),
        |f, o, e, l| {
            let mut any = f.string("kind", &e.kind, &l.kind);
            any |= f.text("returns", &e.returns, &l.returns);
            any |= f.string("language", &e.language, &l.language);
            any |= f.string("volatility", &e.volatility, &l.volatility);
            any |= f.flag("security_definer", e.security_definer, l.security_definer);
            any |= f.string("body", &e.body, &l.body);
            if !any {
                f.expr("definition", &e.definition, &l.definition);
            }
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
            f.grants(o, "grants", &e.acl, &l.acl);
        },
    );
    w.kind(
        fixed_kind(K::Aggregate),
        &e.aggregates,
        &l.aggregates,
        None,
        |k, _| label(K::Aggregate)(k),
        |a| Some(pairs(&a.options)),
        |f, o, e, l| {
            f.string("kind", &e.kind, &l.kind);
            f.string("arguments", &e.arguments, &l.arguments);
            f.val("options", &e.options, &l.options, |v| pairs(v));
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
            f.grants(o, "grants", &e.acl, &l.acl);
        },
    );
    w.kind(
        fixed_kind(K::Operator),
        &e.operators,
        &l.operators,
        None,
        |k, _| label(K::Operator)(k),
        |x| Some(pairs(&x.options)),
        |f, o, e, l| {
            f.val("options", &e.options, &l.options, |v| pairs(v));
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
        },
    );
    w.kind(
        fixed_kind(K::OperatorFamily),
        &e.operator_families,
        &l.operator_families,
        None,
        |k, _| label(K::OperatorFamily)(k),
        |x| Some(list(&x.members)),
        |f, o, e, l| {
            f.val("members", &sorted(&e.members), &sorted(&l.members), |v| {
                list(v)
            });
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
        },
    );
    w.kind(
        fixed_kind(K::OperatorClass),
        &e.operator_classes,
        &l.operator_classes,
        None,
        |k, _| label(K::OperatorClass)(k),
        |x| Some(format!("for type {}", x.data_type)),
        |f, o, e, l| {
            f.string("type", &e.data_type, &l.data_type);
            f.flag("default", e.default, l.default);
            f.text("family", &e.family, &l.family);
            f.text("storage", &e.storage, &l.storage);
            f.val("members", &sorted(&e.members), &sorted(&l.members), |v| {
                list(v)
            });
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
        },
    );
    w.kind(
        fixed_kind(K::Cast),
        &e.casts,
        &l.casts,
        None,
        |k, _| label(K::Cast)(k),
        |c| Some(format!("{} AS {}", c.method, c.context)),
        |f, _, e, l| {
            f.string("method", &e.method, &l.method);
            f.string("context", &e.context, &l.context);
            f.text("comment", &e.comment, &l.comment);
        },
    );
    w.kind(
        fixed_kind(K::TextSearchParser),
        &e.text_search_parsers,
        &l.text_search_parsers,
        None,
        |k, _| label(K::TextSearchParser)(k),
        |x| Some(pairs(&x.options)),
        |f, _, e, l| {
            f.val("options", &e.options, &l.options, |v| pairs(v));
            f.text("comment", &e.comment, &l.comment);
        },
    );
    w.kind(
        fixed_kind(K::TextSearchTemplate),
        &e.text_search_templates,
        &l.text_search_templates,
        None,
        |k, _| label(K::TextSearchTemplate)(k),
        |x| Some(pairs(&x.options)),
        |f, _, e, l| {
            f.val("options", &e.options, &l.options, |v| pairs(v));
            f.text("comment", &e.comment, &l.comment);
        },
    );
    w.kind(
        fixed_kind(K::TextSearchDictionary),
        &e.text_search_dictionaries,
        &l.text_search_dictionaries,
        None,
        |k, _| label(K::TextSearchDictionary)(k),
        |x| Some(format!("template {}", x.template)),
        |f, o, e, l| {
            f.string("template", &e.template, &l.template);
            f.text("options", &e.options, &l.options);
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
        },
    );
    w.kind(
        fixed_kind(K::TextSearchConfiguration),
        &e.text_search_configurations,
        &l.text_search_configurations,
        None,
        |k, _| label(K::TextSearchConfiguration)(k),
        |x| Some(format!("parser {}", x.parser)),
        |f, o, e, l| {
            f.string("parser", &e.parser, &l.parser);
            f.val("mappings", &e.mappings, &l.mappings, |m| {
                m.iter()
                    .map(|(t, d)| format!("{t}: {}", d.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            });
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
        },
    );
    w.kind(
        fixed_kind(K::ForeignDataWrapper),
        &e.foreign_data_wrappers,
        &l.foreign_data_wrappers,
        None,
        |k, _| label(K::ForeignDataWrapper)(k),
        |_| None,
        |f, o, e, l| {
            f.text("handler", &e.handler, &l.handler);
            f.text("validator", &e.validator, &l.validator);
            f.map("options", &e.options, &l.options);
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
            f.grants(o, "grants", &e.acl, &l.acl);
        },
    );
    w.kind(
        fixed_kind(K::ForeignServer),
        &e.foreign_servers,
        &l.foreign_servers,
        None,
        |k, _| label(K::ForeignServer)(k),
        |x| Some(format!("foreign data wrapper {}", x.wrapper)),
        |f, o, e, l| {
            f.string("wrapper", &e.wrapper, &l.wrapper);
            f.text("type", &e.server_type, &l.server_type);
            f.text("version", &e.version, &l.version);
            f.map("options", &e.options, &l.options);
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
            f.grants(o, "grants", &e.acl, &l.acl);
        },
    );
    w.kind(
        fixed_kind(K::UserMapping),
        &e.user_mappings,
        &l.user_mappings,
        None,
        |k, _| label(K::UserMapping)(k),
        |_| None,
        |f, _, e, l| {
            f.map("options", &e.options, &l.options);
            f.val(
                "secret_options",
                &e.secret_options,
                &l.secret_options,
                |s| list(&s.iter().cloned().collect::<Vec<_>>()),
            );
        },
    );

    // Tables and what they hold.
    for (k, et) in &e.tables {
        match l.tables.get(k) {
            None => w.push(
                table_kind(et),
                k,
                None,
                &table_object(k, et),
                ChangeKind::Added,
                Some(table_summary(et)),
                vec![],
            ),
            Some(lt) => compare_table(&mut w, expected, live, k, et, lt),
        }
    }
    for (k, lt) in &l.tables {
        if !e.tables.contains_key(k) {
            w.push(
                table_kind(lt),
                k,
                None,
                &table_object(k, lt),
                ChangeKind::Dropped,
                Some(table_summary(lt)),
                vec![],
            );
        }
    }

    // Views.
    for (k, ev) in &e.views {
        match l.views.get(k) {
            None => w.push(
                view_kind(ev),
                k,
                None,
                &view_object(k, ev),
                ChangeKind::Added,
                Some(ev.definition.clone()),
                vec![],
            ),
            Some(lv) => compare_view(&mut w, k, ev, lv),
        }
    }
    for (k, lv) in &l.views {
        if !e.views.contains_key(k) {
            w.push(
                view_kind(lv),
                k,
                None,
                &view_object(k, lv),
                ChangeKind::Dropped,
                Some(lv.definition.clone()),
                vec![],
            );
        }
    }

    w.kind(
        fixed_kind(K::Statistics),
        &e.statistics,
        &l.statistics,
        None,
        |k, _| label(K::Statistics)(k),
        |s| Some(s.definition.clone()),
        |f, o, e, l| {
            f.string("definition", &e.definition, &l.definition);
            f.val("target", &e.target, &l.target, |t| {
                t.map(|t| t.to_string())
                    .unwrap_or_else(|| "(default)".into())
            });
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
        },
    );
    w.kind(
        fixed_kind(K::Publication),
        &e.publications,
        &l.publications,
        None,
        |k, _| label(K::Publication)(k),
        |p| Some(format!("publish {}", p.publish)),
        |f, o, e, l| {
            f.flag("all_tables", e.all_tables, l.all_tables);
            f.string("publish", &e.publish, &l.publish);
            f.flag("via_root", e.via_root, l.via_root);
            f.val("tables", &e.tables, &l.tables, |m| {
                list(&m.iter().map(|(t, c)| format!("{t}{c}")).collect::<Vec<_>>())
            });
            f.val("schemas", &e.schemas, &l.schemas, |s| {
                list(&s.iter().cloned().collect::<Vec<_>>())
            });
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
        },
    );
    w.kind(
        fixed_kind(K::EventTrigger),
        &e.event_triggers,
        &l.event_triggers,
        None,
        |k, _| label(K::EventTrigger)(k),
        |x| Some(format!("on {} execute {}", x.event, x.function)),
        |f, o, e, l| {
            f.string("event", &e.event, &l.event);
            f.val("tags", &e.tags, &l.tags, |v| list(v));
            f.string("function", &e.function, &l.function);
            f.val("enabled", &e.enabled, &l.enabled, |s| {
                trigger_state(s).to_string()
            });
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
        },
    );
    w.kind(
        fixed_kind(K::AccessMethod),
        &e.access_methods,
        &l.access_methods,
        None,
        |k, _| label(K::AccessMethod)(k),
        |a| Some(format!("{} handler {}", a.method_type, a.handler)),
        |f, _, e, l| {
            f.string("type", &e.method_type, &l.method_type);
            f.string("handler", &e.handler, &l.handler);
            f.text("comment", &e.comment, &l.comment);
        },
    );
    w.kind(
        fixed_kind(K::Conversion),
        &e.conversions,
        &l.conversions,
        None,
        |k, _| label(K::Conversion)(k),
        |c| {
            Some(format!(
                "for {} to {} from {}",
                c.source, c.destination, c.function
            ))
        },
        |f, o, e, l| {
            f.string("source", &e.source, &l.source);
            f.string("destination", &e.destination, &l.destination);
            f.string("function", &e.function, &l.function);
            f.flag("default", e.default, l.default);
            f.text("comment", &e.comment, &l.comment);
            f.owner(o, &e.owner, &l.owner);
        },
    );
    if options.privileges {
        // Grants on what extensions made: against the extension's own when one side has none.
        let keys: std::collections::BTreeSet<&String> = e
            .extension_grants
            .keys()
            .chain(l.extension_grants.keys())
            .collect();
        for k in keys {
            let (eg, lg) = (e.extension_grants.get(k), l.extension_grants.get(k));
            let initial = eg.or(lg).map(|g| g.initial.clone()).unwrap_or_default();
            let acl = |g: Option<&crate::introspect::ExtensionGrants>| {
                crate::diff::gen::sorted_acl(
                    &g.map(|g| g.acl.clone()).unwrap_or_else(|| initial.clone()),
                )
            };
            let mut f = Fields::default();
            f.val("grants", &acl(eg), &acl(lg), |v| v.join(", "));
            if !f.0.is_empty() {
                w.push(
                    K::ExtensionMember,
                    k,
                    None,
                    &format!("extension member {k}"),
                    ChangeKind::Altered,
                    None,
                    f.0,
                );
            }
        }
        w.kind(
            fixed_kind(K::DefaultPrivileges),
            &e.default_privileges,
            &l.default_privileges,
            None,
            |k, _| label(K::DefaultPrivileges)(k),
            |d| Some(d.acl.join(", ")),
            |f, _, e, l| {
                let (ea, la) = (
                    crate::diff::gen::sorted_acl(&e.acl),
                    crate::diff::gen::sorted_acl(&l.acl),
                );
                f.val("grants", &ea, &la, |v| v.join(", "));
            },
        );
    }
    ChangeSet::new(w.out)
}
