//! Rows to model: each query's JSON result, shaped like the model's structs, parsed and
//! put in its place.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::model::*;
use super::queries::Part;
use super::IntrospectError;

/// A row of an object keyed by its name.
#[derive(Deserialize)]
struct Named<T> {
    name: String,
    #[serde(flatten)]
    value: T,
}

/// A row keyed apart from the object's own `name` field.
#[derive(Deserialize)]
struct Keyed<T> {
    key: String,
    #[serde(flatten)]
    value: T,
}

/// A row of a part of a table or view.
#[derive(Deserialize)]
struct Owned<T> {
    table: String,
    name: String,
    #[serde(flatten)]
    value: T,
}

#[derive(Deserialize)]
struct ColumnRow {
    table: String,
    #[serde(flatten)]
    column: Column,
}

#[derive(Deserialize)]
struct OperatorRows {
    aggregates: Vec<Named<Aggregate>>,
    operators: Vec<Keyed<Operator>>,
    operator_families: Vec<Keyed<OperatorFamily>>,
    operator_classes: Vec<Keyed<OperatorClass>>,
    casts: Vec<Named<Cast>>,
}

#[derive(Deserialize)]
struct TextSearchRows {
    #[serde(default, deserialize_with = "or_default")]
    parsers: Vec<Named<TextSearchParser>>,
    #[serde(default, deserialize_with = "or_default")]
    templates: Vec<Named<TextSearchTemplate>>,
    #[serde(default, deserialize_with = "or_default")]
    dictionaries: Vec<Named<TextSearchDictionary>>,
    #[serde(default, deserialize_with = "or_default")]
    configurations: Vec<Named<TextSearchConfiguration>>,
}

#[derive(Deserialize)]
struct ForeignDataRows {
    #[serde(default, deserialize_with = "or_default")]
    wrappers: Vec<Named<ForeignDataWrapper>>,
    #[serde(default, deserialize_with = "or_default")]
    servers: Vec<Named<ForeignServer>>,
    #[serde(default, deserialize_with = "or_default")]
    user_mappings: Vec<UserMapping>,
}

#[derive(Deserialize)]
struct OtherRows {
    collations: Vec<Named<Collation>>,
    text_search: TextSearchRows,
    foreign_data: ForeignDataRows,
    publications: Vec<Named<Publication>>,
    event_triggers: Vec<Named<EventTrigger>>,
    statistics: Vec<Named<Statistics>>,
    default_privileges: Vec<DefaultPrivileges>,
    access_methods: Vec<Named<AccessMethod>>,
    conversions: Vec<Named<Conversion>>,
    extension_grants: Vec<Keyed<ExtensionGrants>>,
    not_compared: BTreeMap<String, Option<BTreeSet<String>>>,
}

fn parse<T: DeserializeOwned>(index: usize, text: &str) -> Result<T, IntrospectError> {
    serde_json::from_str(text).map_err(|e| IntrospectError::Decode {
        index,
        message: e.to_string(),
    })
}

fn named<T>(rows: Vec<Named<T>>) -> BTreeMap<String, T> {
    rows.into_iter().map(|r| (r.name, r.value)).collect()
}

fn keyed<T>(rows: Vec<Keyed<T>>) -> BTreeMap<String, T> {
    rows.into_iter().map(|r| (r.key, r.value)).collect()
}

/// The key of default privileges: `FOR ROLE r [IN SCHEMA s] ON TABLES`.
pub fn default_privileges_key(d: &DefaultPrivileges) -> String {
    match &d.schema {
        Some(s) => format!("FOR ROLE {} IN SCHEMA {s} ON {}", d.role, d.object_kind),
        None => format!("FOR ROLE {} ON {}", d.role, d.object_kind),
    }
}

/// Builds the model from the queries' results, in the order of `parts` (the first
/// query, the server's, is index 1).
pub(super) fn assemble(parts: Vec<(Part, String)>) -> Result<CatalogModel, IntrospectError> {
    let mut m = CatalogModel::default();
    for (i, (part, text)) in parts.into_iter().enumerate() {
        let index = i + 2;
        match part {
            Part::Schemas => m.schemas = named(parse(index, &text)?),
            Part::Extensions => m.extensions = named(parse(index, &text)?),
            Part::Types => m.types = named(parse(index, &text)?),
            Part::Sequences => m.sequences = named(parse(index, &text)?),
            Part::Tables => m.tables = named(parse(index, &text)?),
            Part::Views => m.views = named(parse(index, &text)?),
            Part::Functions => m.functions = named(parse(index, &text)?),
            Part::Columns => {
                for r in parse::<Vec<ColumnRow>>(index, &text)? {
                    if let Some(t) = m.tables.get_mut(&r.table) {
                        t.columns.push(r.column);
                    }
                }
            }
            Part::Constraints => {
                for r in parse::<Vec<Owned<Constraint>>>(index, &text)? {
                    if let Some(t) = m.tables.get_mut(&r.table) {
                        t.constraints.insert(r.name, r.value);
                    }
                }
            }
            Part::Indexes => {
                for r in parse::<Vec<Owned<Index>>>(index, &text)? {
                    if let Some(t) = m.tables.get_mut(&r.table) {
                        t.indexes.insert(r.name, r.value);
                    } else if let Some(v) = m.views.get_mut(&r.table) {
                        v.indexes.insert(r.name, r.value);
                    }
                }
            }
            Part::Triggers => {
                for r in parse::<Vec<Owned<Trigger>>>(index, &text)? {
                    if let Some(t) = m.tables.get_mut(&r.table) {
                        t.triggers.insert(r.name, r.value);
                    } else if let Some(v) = m.views.get_mut(&r.table) {
                        v.triggers.insert(r.name, r.value);
                    }
                }
            }
            Part::Rules => {
                for r in parse::<Vec<Owned<Rule>>>(index, &text)? {
                    if let Some(t) = m.tables.get_mut(&r.table) {
                        t.rules.insert(r.name, r.value);
                    } else if let Some(v) = m.views.get_mut(&r.table) {
                        v.rules.insert(r.name, r.value);
                    }
                }
            }
            Part::Policies => {
                for mut r in parse::<Vec<Owned<Policy>>>(index, &text)? {
                    r.value.roles.sort();
                    if let Some(t) = m.tables.get_mut(&r.table) {
                        t.policies.insert(r.name, r.value);
                    }
                }
            }
            Part::Operators => {
                let rows: OperatorRows = parse(index, &text)?;
                m.aggregates = named(rows.aggregates);
                m.operators = keyed(rows.operators);
                m.operator_families = keyed(rows.operator_families);
                m.operator_classes = keyed(rows.operator_classes);
                m.casts = named(rows.casts);
            }
            Part::Other => {
                let rows: OtherRows = parse(index, &text)?;
                m.collations = named(rows.collations);
                m.text_search_parsers = named(rows.text_search.parsers);
                m.text_search_templates = named(rows.text_search.templates);
                m.text_search_dictionaries = named(rows.text_search.dictionaries);
                m.text_search_configurations = named(rows.text_search.configurations);
                m.foreign_data_wrappers = named(rows.foreign_data.wrappers);
                m.foreign_servers = named(rows.foreign_data.servers);
                m.user_mappings = rows
                    .foreign_data
                    .user_mappings
                    .into_iter()
                    .map(|u| (format!("{} ON {}", u.role, u.server), u))
                    .collect();
                m.publications = named(rows.publications);
                m.event_triggers = named(rows.event_triggers);
                m.statistics = named(rows.statistics);
                m.default_privileges = rows
                    .default_privileges
                    .into_iter()
                    .map(|d| (default_privileges_key(&d), d))
                    .collect();
                m.access_methods = named(rows.access_methods);
                m.conversions = named(rows.conversions);
                m.extension_grants = keyed(rows.extension_grants);
                m.not_compared = rows
                    .not_compared
                    .into_iter()
                    .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
                    .collect();
            }
            Part::Depends => m.depends = super::depgraph::graph(parse(index, &text)?),
        }
    }
    Ok(m)
}
