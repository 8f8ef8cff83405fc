//! Introspection: reads a database's schema from the PostgreSQL catalogs into one
//! normalised [`CatalogModel`], in a fixed number of catalog queries whatever the schema's
//! size. `diff` compares two models; `snapshot` stores one; later checks read the same one.
//!
//! Names are keys as PostgreSQL prints them, schema-qualified and quoted only when needed
//! (`public.users`, `public."order"`): the queries run with `search_path = ''`, so
//! defaults, foreign keys and view bodies name their objects the same way on every
//! database. Left out: PostgreSQL's own schemas, objects that belong to an extension,
//! internal triggers, identity sequences, what partitions inherit from their parent, and
//! strata's history table.
//!
//! Derived from the definitions and never compared, for ordering `diff --sql`: what
//! `pg_depend` records of the relations, functions and types a view uses, of the functions
//! and types column defaults, constraints, indexes, triggers and policies use, of the
//! columns triggers and policies read, of the types a function's parameters and result
//! use, and each function's `regprocedure` signature.

mod queries;

use std::collections::{BTreeMap, BTreeSet};

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use tokio_postgres::{Client, SimpleQueryMessage};

/// Why a schema could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    /// A catalog query failed.
    #[error("reading the catalog: {0}")]
    Query(String),
    /// A catalog query returned something the model does not understand.
    #[error("reading the catalog: unexpected result of query {index}: {message}")]
    Decode { index: usize, message: String },
}

/// What to read.
#[derive(Debug, Clone)]
pub struct IntrospectOptions {
    /// Schema and table of strata's history table, left out of the model.
    pub history_schema: String,
    pub history_table: String,
    /// Read owners and grants too.
    pub privileges: bool,
}

/// A database schema, normalised. Every map is keyed by the object's qualified name, so
/// the serialised model is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogModel {
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
    #[serde(default)]
    pub extensions: BTreeMap<String, Extension>,
    /// Enum, domain and composite types.
    #[serde(default)]
    pub types: BTreeMap<String, TypeDef>,
    #[serde(default)]
    pub sequences: BTreeMap<String, Sequence>,
    #[serde(default)]
    pub tables: BTreeMap<String, Table>,
    /// Views and materialized views.
    #[serde(default)]
    pub views: BTreeMap<String, View>,
    /// Functions and procedures, keyed `schema.name(identity arguments)`.
    #[serde(default)]
    pub functions: BTreeMap<String, Function>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub version: String,
    pub schema: String,
}

/// The kind of a user-defined type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeKind {
    Enum,
    Domain,
    Composite,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    pub kind: TypeKind,
    /// Enum labels, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Domain: base type, NOT NULL, default, collation, named check constraints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_type: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, String>,
    /// Composite: (attribute, type) in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sequence {
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
    /// `(table, column)` owning the sequence (serial columns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// `unlogged` tables say so; permanent ones leave it out.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unlogged: bool,
    /// `PARTITION BY` clause of a partitioned table (`RANGE (created_at)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// A partition's parent and bound (`FOR VALUES FROM (..) TO (..)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_bound: Option<String>,
    /// Parents of a plain (not partition) inheritance child, in `INHERITS` order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherits: Vec<String>,
    /// Storage parameters (`reloptions`: `fillfactor` → `70`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// Columns in their physical order (a partition has none of its own; an inheritance
    /// child only those it does not inherit).
    #[serde(default)]
    pub columns: Vec<Column>,
    #[serde(default)]
    pub constraints: BTreeMap<String, Constraint>,
    #[serde(default)]
    pub indexes: BTreeMap<String, Index>,
    #[serde(default)]
    pub triggers: BTreeMap<String, Trigger>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub rls_enabled: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub rls_forced: bool,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policies: BTreeMap<String, Policy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// As `format_type` prints it: `character varying(32)`, `public.mood`.
    #[serde(rename = "type")]
    pub data_type: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `always` or `by default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// The options of an identity column's sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_options: Option<IdentityOptions>,
    /// The expression of a `GENERATED ALWAYS AS (..) STORED` column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// Only when it differs from the type's default collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Functions its default or generation expression calls (from `pg_depend`; derived,
    /// for ordering the script, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub functions: BTreeSet<String>,
    /// User types its default or generation expression uses (derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub types: BTreeSet<String>,
    /// The columns a generated column's expression reads (derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub reads: BTreeSet<String>,
}

/// The sequence options of an identity column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityOptions {
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl IdentityOptions {
    /// `START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE`.
    pub fn sql(&self) -> String {
        format!(
            "START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {} {}",
            self.start,
            self.increment,
            self.min,
            self.max,
            self.cache,
            if self.cycle { "CYCLE" } else { "NO CYCLE" }
        )
    }
}

/// The kind of a table constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    Check,
    Exclusion,
    ForeignKey,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Constraint {
    pub kind: ConstraintKind,
    /// `pg_get_constraintdef`: columns, references, match, actions, deferrable, NOT VALID.
    pub definition: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub validated: bool,
    /// The referenced table of a foreign key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Functions it calls (from `pg_depend`; derived from the definition, for ordering the
    /// script, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub functions: BTreeSet<String>,
    /// User types it uses (from `pg_depend`; derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub types: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Index {
    /// `pg_get_indexdef`: the whole `CREATE INDEX` statement.
    pub definition: String,
    pub unique: bool,
    pub method: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub valid: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Functions it calls (from `pg_depend`; derived from the definition, for ordering the
    /// script, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub functions: BTreeSet<String>,
    /// User types it uses (from `pg_depend`; derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub types: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    /// `pg_get_triggerdef`: the whole `CREATE TRIGGER` statement.
    pub definition: String,
    /// `pg_trigger.tgenabled`: `O` enabled, `D` disabled, `R` replica, `A` always.
    pub enabled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Its function and those its `WHEN` condition calls (from `pg_depend`; derived, for
    /// ordering the script, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub functions: BTreeSet<String>,
    /// User types it uses (from `pg_depend`; derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub types: BTreeSet<String>,
    /// Columns of its table it reads (from `pg_depend`; derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub columns: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub permissive: bool,
    /// `*` all, `r` select, `a` insert, `w` update, `d` delete.
    pub command: String,
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    /// Functions it calls (from `pg_depend`; derived from the definition, for ordering the
    /// script, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub functions: BTreeSet<String>,
    /// User types it uses (from `pg_depend`; derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub types: BTreeSet<String>,
    /// Columns of its table it reads (from `pg_depend`; derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub columns: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Function {
    /// `function` or `procedure`.
    pub kind: String,
    pub language: String,
    /// `immutable`, `stable` or `volatile`.
    pub volatility: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub security_definer: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// `schema.name(argument types)` as `regprocedure` prints it: what identifies the
    /// function to PostgreSQL, whatever its parameters are called (derived, not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    pub body: String,
    /// `pg_get_functiondef`: the whole `CREATE OR REPLACE` statement.
    pub definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
    /// User types its parameters and result use (from `pg_depend`; derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub types: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct View {
    #[serde(default, skip_serializing_if = "is_false")]
    pub materialized: bool,
    /// `pg_get_viewdef`: the query.
    pub definition: String,
    /// Relations the view reads (for ordering; derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub depends_on: BTreeSet<String>,
    /// Functions it calls (from `pg_depend`; derived from the definition, for ordering the
    /// script, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub functions: BTreeSet<String>,
    /// User types it uses, those of the columns it reads included (derived, not compared).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub types: BTreeSet<String>,
    /// A materialized view's indexes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, Index>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}
fn is_true(b: &bool) -> bool {
    *b
}
fn yes() -> bool {
    true
}

/// A model and how it was read.
#[derive(Debug, Clone)]
pub struct Introspection {
    pub model: CatalogModel,
    /// Catalog queries run to read it: the same for any schema size.
    pub catalog_queries: usize,
    /// `server_version_num` of the server read.
    pub server_version: String,
}

// Rows as the queries return them.

#[derive(Deserialize)]
struct ServerRow {
    server_version: String,
}
#[derive(Deserialize)]
struct SchemaRow {
    name: String,
    comment: Option<String>,
    owner: Option<String>,
    acl: Option<Vec<String>>,
}
#[derive(Deserialize)]
struct ExtensionRow {
    name: String,
    version: String,
    schema: String,
}
#[derive(Deserialize)]
struct TypeRow {
    name: String,
    kind: String,
    labels: Option<Vec<String>>,
    base_type: Option<String>,
    not_null: bool,
    default: Option<String>,
    collation: Option<String>,
    checks: Option<BTreeMap<String, String>>,
    attributes: Option<Vec<(String, String)>>,
    comment: Option<String>,
    owner: Option<String>,
}
#[derive(Deserialize)]
struct SequenceRow {
    name: String,
    data_type: String,
    start: i64,
    increment: i64,
    min: i64,
    max: i64,
    cache: i64,
    cycle: bool,
    owned_by: Option<(String, String)>,
    comment: Option<String>,
    owner: Option<String>,
    acl: Option<Vec<String>>,
}
#[derive(Deserialize)]
struct TableRow {
    name: String,
    persistence: String,
    partition_key: Option<String>,
    parent: Option<String>,
    partition_bound: Option<String>,
    inherits: Option<Vec<String>>,
    options: Option<BTreeMap<String, String>>,
    rls_enabled: bool,
    rls_forced: bool,
    comment: Option<String>,
    owner: Option<String>,
    acl: Option<Vec<String>>,
}
#[derive(Deserialize)]
struct ColumnRow {
    table: String,
    name: String,
    #[serde(rename = "type")]
    data_type: String,
    not_null: bool,
    default: Option<String>,
    identity: Option<String>,
    identity_options: Option<IdentityOptions>,
    generated: Option<String>,
    collation: Option<String>,
    comment: Option<String>,
    functions: Option<BTreeSet<String>>,
    types: Option<BTreeSet<String>>,
    reads: Option<BTreeSet<String>>,
}
#[derive(Deserialize)]
struct ConstraintRow {
    table: String,
    name: String,
    kind: String,
    definition: String,
    validated: bool,
    references: Option<String>,
    comment: Option<String>,
    functions: Option<BTreeSet<String>>,
    types: Option<BTreeSet<String>>,
}
#[derive(Deserialize)]
struct IndexRow {
    name: String,
    table: String,
    definition: String,
    unique: bool,
    method: String,
    predicate: Option<String>,
    valid: bool,
    comment: Option<String>,
    functions: Option<BTreeSet<String>>,
    types: Option<BTreeSet<String>>,
}
#[derive(Deserialize)]
struct TriggerRow {
    table: String,
    name: String,
    definition: String,
    enabled: String,
    comment: Option<String>,
    functions: Option<BTreeSet<String>>,
    types: Option<BTreeSet<String>>,
    columns: Option<BTreeSet<String>>,
}
#[derive(Deserialize)]
struct FunctionRow {
    name: String,
    kind: String,
    language: String,
    volatility: String,
    security_definer: bool,
    returns: Option<String>,
    signature: Option<String>,
    body: String,
    definition: String,
    comment: Option<String>,
    owner: Option<String>,
    acl: Option<Vec<String>>,
    types: Option<BTreeSet<String>>,
}
#[derive(Deserialize)]
struct ViewRow {
    name: String,
    materialized: bool,
    definition: String,
    depends_on: Option<BTreeSet<String>>,
    functions: Option<BTreeSet<String>>,
    types: Option<BTreeSet<String>>,
    comment: Option<String>,
    owner: Option<String>,
    acl: Option<Vec<String>>,
}
#[derive(Deserialize)]
struct PolicyRow {
    table: String,
    name: String,
    permissive: bool,
    command: String,
    roles: Option<Vec<String>>,
    using: Option<String>,
    with_check: Option<String>,
    functions: Option<BTreeSet<String>>,
    types: Option<BTreeSet<String>>,
    columns: Option<BTreeSet<String>>,
}

/// The results of the queries, one JSON text each, consumed in order.
struct Results {
    texts: std::vec::IntoIter<String>,
    index: usize,
}

impl Results {
    fn next<T: DeserializeOwned>(&mut self) -> Result<T, IntrospectError> {
        self.index += 1;
        let index = self.index;
        let text = self.texts.next().ok_or_else(|| IntrospectError::Decode {
            index,
            message: "no result".into(),
        })?;
        serde_json::from_str(&text).map_err(|e| IntrospectError::Decode {
            index,
            message: e.to_string(),
        })
    }
}

/// Reads the schema of the database `client` is connected to. All queries go in one round
/// trip, in a read-only repeatable-read transaction (one consistent snapshot) with
/// `search_path = ''`; nothing is written and the session's settings are restored.
pub async fn introspect(
    client: &Client,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let scope = queries::Scope {
        history: (&options.history_schema, &options.history_table),
        privileges: options.privileges,
    };
    let list = queries::all(&scope);
    let mut batch = String::from(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\nSET LOCAL search_path = '';\n",
    );
    for q in &list {
        batch.push_str(q);
        batch.push_str(";\n");
    }
    batch.push_str("COMMIT;");
    let messages = match client.simple_query(&batch).await {
        Ok(m) => m,
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(IntrospectError::Query(crate::conn::describe_pg_error(&e)));
        }
    };
    let texts: Vec<String> = messages
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(row.get(0).unwrap_or("[]").to_string()),
            _ => None,
        })
        .collect();
    if texts.len() != list.len() {
        return Err(IntrospectError::Decode {
            index: texts.len(),
            message: format!("{} results for {} queries", texts.len(), list.len()),
        });
    }
    let mut results = Results {
        texts: texts.into_iter(),
        index: 0,
    };
    let server: ServerRow = results.next()?;
    let model = assemble(&mut results)?;
    Ok(Introspection {
        model,
        catalog_queries: list.len(),
        server_version: server.server_version,
    })
}

fn assemble(r: &mut Results) -> Result<CatalogModel, IntrospectError> {
    let mut model = CatalogModel::default();
    for s in r.next::<Vec<SchemaRow>>()? {
        model.schemas.insert(
            s.name,
            Schema {
                comment: s.comment,
                owner: s.owner,
                acl: s.acl,
            },
        );
    }
    for x in r.next::<Vec<ExtensionRow>>()? {
        model.extensions.insert(
            x.name,
            Extension {
                version: x.version,
                schema: x.schema,
            },
        );
    }
    for t in r.next::<Vec<TypeRow>>()? {
        let kind = match t.kind.as_str() {
            "e" => TypeKind::Enum,
            "d" => TypeKind::Domain,
            _ => TypeKind::Composite,
        };
        model.types.insert(
            t.name,
            TypeDef {
                kind,
                labels: t.labels.unwrap_or_default(),
                base_type: t.base_type,
                not_null: t.not_null,
                default: t.default,
                collation: t.collation,
                checks: t.checks.unwrap_or_default(),
                attributes: t.attributes.unwrap_or_default(),
                comment: t.comment,
                owner: t.owner,
            },
        );
    }
    for s in r.next::<Vec<SequenceRow>>()? {
        model.sequences.insert(
            s.name,
            Sequence {
                data_type: s.data_type,
                start: s.start,
                increment: s.increment,
                min: s.min,
                max: s.max,
                cache: s.cache,
                cycle: s.cycle,
                owned_by: s.owned_by,
                comment: s.comment,
                owner: s.owner,
                acl: s.acl,
            },
        );
    }
    for t in r.next::<Vec<TableRow>>()? {
        model.tables.insert(
            t.name,
            Table {
                unlogged: t.persistence == "u",
                partition_key: t.partition_key,
                parent: t.parent,
                partition_bound: t.partition_bound,
                inherits: t.inherits.unwrap_or_default(),
                options: t.options.unwrap_or_default(),
                rls_enabled: t.rls_enabled,
                rls_forced: t.rls_forced,
                comment: t.comment,
                owner: t.owner,
                acl: t.acl,
                ..Table::default()
            },
        );
    }
    for c in r.next::<Vec<ColumnRow>>()? {
        if let Some(table) = model.tables.get_mut(&c.table) {
            table.columns.push(Column {
                name: c.name,
                data_type: c.data_type,
                not_null: c.not_null,
                default: c.default,
                identity: c.identity,
                identity_options: c.identity_options,
                generated: c.generated,
                collation: c.collation,
                comment: c.comment,
                functions: c.functions.unwrap_or_default(),
                types: c.types.unwrap_or_default(),
                reads: c.reads.unwrap_or_default(),
            });
        }
    }
    for k in r.next::<Vec<ConstraintRow>>()? {
        let kind = match k.kind.as_str() {
            "p" => ConstraintKind::PrimaryKey,
            "u" => ConstraintKind::Unique,
            "c" => ConstraintKind::Check,
            "x" => ConstraintKind::Exclusion,
            _ => ConstraintKind::ForeignKey,
        };
        if let Some(table) = model.tables.get_mut(&k.table) {
            table.constraints.insert(
                k.name,
                Constraint {
                    kind,
                    definition: k.definition,
                    validated: k.validated,
                    references: k.references,
                    comment: k.comment,
                    functions: k.functions.unwrap_or_default(),
                    types: k.types.unwrap_or_default(),
                },
            );
        }
    }
    let indexes = r.next::<Vec<IndexRow>>()?;
    for t in r.next::<Vec<TriggerRow>>()? {
        if let Some(table) = model.tables.get_mut(&t.table) {
            table.triggers.insert(
                t.name,
                Trigger {
                    definition: t.definition,
                    enabled: t.enabled,
                    comment: t.comment,
                    functions: t.functions.unwrap_or_default(),
                    types: t.types.unwrap_or_default(),
                    columns: t.columns.unwrap_or_default(),
                },
            );
        }
    }
    for f in r.next::<Vec<FunctionRow>>()? {
        model.functions.insert(
            f.name,
            Function {
                kind: if f.kind == "p" {
                    "procedure".into()
                } else {
                    "function".into()
                },
                language: f.language,
                volatility: match f.volatility.as_str() {
                    "i" => "immutable",
                    "s" => "stable",
                    _ => "volatile",
                }
                .into(),
                security_definer: f.security_definer,
                returns: f.returns,
                signature: f.signature,
                body: f.body,
                definition: f.definition,
                comment: f.comment,
                owner: f.owner,
                acl: f.acl,
                types: f.types.unwrap_or_default(),
            },
        );
    }
    for v in r.next::<Vec<ViewRow>>()? {
        model.views.insert(
            v.name,
            View {
                materialized: v.materialized,
                definition: v.definition,
                depends_on: v.depends_on.unwrap_or_default(),
                functions: v.functions.unwrap_or_default(),
                types: v.types.unwrap_or_default(),
                indexes: BTreeMap::new(),
                comment: v.comment,
                owner: v.owner,
                acl: v.acl,
            },
        );
    }
    for i in indexes {
        let index = Index {
            definition: i.definition,
            unique: i.unique,
            method: i.method,
            predicate: i.predicate,
            valid: i.valid,
            comment: i.comment,
            functions: i.functions.unwrap_or_default(),
            types: i.types.unwrap_or_default(),
        };
        if let Some(table) = model.tables.get_mut(&i.table) {
            table.indexes.insert(i.name, index);
        } else if let Some(view) = model.views.get_mut(&i.table) {
            view.indexes.insert(i.name, index);
        }
    }
    for p in r.next::<Vec<PolicyRow>>()? {
        if let Some(table) = model.tables.get_mut(&p.table) {
            let mut roles = p.roles.unwrap_or_default();
            roles.sort();
            table.policies.insert(
                p.name,
                Policy {
                    permissive: p.permissive,
                    command: p.command,
                    roles,
                    using: p.using,
                    with_check: p.with_check,
                    functions: p.functions.unwrap_or_default(),
                    types: p.types.unwrap_or_default(),
                    columns: p.columns.unwrap_or_default(),
                },
            );
        }
    }
    Ok(model)
}

/// Splits `schema.name` as PostgreSQL prints it (quoted parts kept quoted) at the first
/// dot outside quotes.
pub fn split_qualified(name: &str) -> (&str, &str) {
    let mut quoted = false;
    for (i, ch) in name.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '.' if !quoted => return (&name[..i], &name[i + 1..]),
            _ => {}
        }
    }
    ("", name)
}

/// Removes the quotes PostgreSQL adds to an identifier (`"order"` → `order`).
pub fn unquote(ident: &str) -> String {
    match ident.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => ident.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_qualified_names_outside_quotes() {
        assert_eq!(split_qualified("public.users"), ("public", "users"));
        assert_eq!(split_qualified("\"a.b\".\"c.d\""), ("\"a.b\"", "\"c.d\""));
        assert_eq!(split_qualified("users"), ("", "users"));
        assert_eq!(unquote("\"or\"\"der\""), "or\"der");
        assert_eq!(unquote("plain"), "plain");
    }

    #[test]
    fn the_query_list_does_not_depend_on_the_schema() {
        let scope = queries::Scope {
            history: ("public", "schema_migrations"),
            privileges: false,
        };
        assert_eq!(queries::all(&scope).len(), 13);
    }
}
