//! Rows to model: each query's JSON result, shaped like the model's structs, parsed and
//! put in its place.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::model::*;
use super::queries::Part;
use super::{Answer, IntrospectError};

/// A row of an object keyed by its name.
///
/// The key fields and the object are read from the same row text in two passes (each
/// pass skips the other's fields) rather than with `#[serde(flatten)]`, which buffers every
/// field of every row as an owned value first: at 1,000 tables that buffering was most of
/// the time spent turning the catalog's rows into the model.
struct Named<T> {
    name: String,
    value: T,
}

/// A row keyed apart from the object's own `name` field.
struct Keyed<T> {
    key: String,
    value: T,
}

/// A row of a part of a table or view.
struct Owned<T> {
    table: String,
    name: String,
    value: T,
}

#[derive(Deserialize)]
struct NameField {
    name: String,
}

#[derive(Deserialize)]
struct KeyField {
    key: String,
}

#[derive(Deserialize)]
struct TableNameFields {
    table: String,
    name: String,
}

/// Deserializes a row's key fields `K` and its object `T` from the same JSON object.
fn split_row<'de, D, K, T>(deserializer: D) -> Result<(K, T), D::Error>
where
    D: serde::Deserializer<'de>,
    K: DeserializeOwned,
    T: DeserializeOwned,
{
    use serde::de::Error;
    let raw = <&serde_json::value::RawValue>::deserialize(deserializer)?;
    let key = serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
    let value = serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
    Ok((key, value))
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Named<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (k, value): (NameField, T) = split_row(d)?;
        Ok(Named {
            name: k.name,
            value,
        })
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Keyed<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (k, value): (KeyField, T) = split_row(d)?;
        Ok(Keyed { key: k.key, value })
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Owned<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (k, value): (TableNameFields, T) = split_row(d)?;
        Ok(Owned {
            table: k.table,
            name: k.name,
            value,
        })
    }
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
pub(super) fn assemble(parts: Vec<(Part, Answer)>) -> Result<CatalogModel, IntrospectError> {
    let mut m = CatalogModel::default();
    for (i, (part, answer)) in parts.into_iter().enumerate() {
        let index = i + 2;
        let text = match answer {
            Answer::Json(text) => text,
            Answer::Rows(rows) if part == Part::Columns => {
                let columns = super::rows::columns(&rows)
                    .map_err(|message| IntrospectError::Decode { index, message })?;
                for (table, column) in columns {
                    if let Some(t) = m.tables.get_mut(&table) {
                        t.columns.push(column);
                    }
                }
                continue;
            }
            Answer::Rows(rows) if part == Part::Depends => {
                let rows = super::depgraph::from_rows(&rows)
                    .map_err(|message| IntrospectError::Decode { index, message })?;
                m.depends = super::depgraph::graph(rows);
                continue;
            }
            Answer::Rows(_) => {
                return Err(IntrospectError::Decode {
                    index,
                    message: format!("rows where {part:?} expects JSON"),
                })
            }
        };
        match part {
            Part::Schemas => m.schemas = named(parse(index, &text)?),
            Part::Extensions => m.extensions = named(parse(index, &text)?),
            Part::Types => m.types = named(parse(index, &text)?),
            Part::Sequences => m.sequences = named(parse(index, &text)?),
            Part::Tables => m.tables = named(parse(index, &text)?),
            Part::Views => m.views = named(parse(index, &text)?),
            Part::Functions => m.functions = named(parse(index, &text)?),
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
            Part::Columns | Part::Depends => {
                return Err(IntrospectError::Decode {
                    index,
                    message: format!("JSON where the {part:?} query answers rows"),
                })
            }
        }
    }
    Ok(m)
}
