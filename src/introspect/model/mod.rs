//! The catalog model: one plain struct per object kind, every map keyed by the object's
//! name as PostgreSQL prints it (schema-qualified, quoted only when needed), so the
//! serialised model is deterministic. Fields marked "derived" are read for ordering and
//! never compared.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize};

mod other;
pub use other::*;

/// A database schema, normalised.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogModel {
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
    #[serde(default)]
    pub extensions: BTreeMap<String, Extension>,
    /// Enum, domain, composite, range and base types.
    #[serde(default)]
    pub types: BTreeMap<String, TypeDef>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub collations: BTreeMap<String, Collation>,
    #[serde(default)]
    pub sequences: BTreeMap<String, Sequence>,
    /// Tables, partitioned tables and foreign tables.
    #[serde(default)]
    pub tables: BTreeMap<String, Table>,
    /// Views and materialized views.
    #[serde(default)]
    pub views: BTreeMap<String, View>,
    /// Functions and procedures, keyed `schema.name(identity arguments)`.
    #[serde(default)]
    pub functions: BTreeMap<String, Function>,
    /// Aggregates, keyed like functions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aggregates: BTreeMap<String, Aggregate>,
    /// Operators, keyed as `regoperator` prints them: `schema.op(left,right)`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operators: BTreeMap<String, Operator>,
    /// Operator families, keyed `schema.name USING method`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operator_families: BTreeMap<String, OperatorFamily>,
    /// Operator classes, keyed `schema.name USING method`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operator_classes: BTreeMap<String, OperatorClass>,
    /// Casts, keyed `(source AS target)`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub casts: BTreeMap<String, Cast>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub text_search_parsers: BTreeMap<String, TextSearchParser>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub text_search_templates: BTreeMap<String, TextSearchTemplate>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub text_search_dictionaries: BTreeMap<String, TextSearchDictionary>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub text_search_configurations: BTreeMap<String, TextSearchConfiguration>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub foreign_data_wrappers: BTreeMap<String, ForeignDataWrapper>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub foreign_servers: BTreeMap<String, ForeignServer>,
    /// User mappings, keyed `role ON server` (`PUBLIC ON server`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub user_mappings: BTreeMap<String, UserMapping>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub publications: BTreeMap<String, Publication>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub event_triggers: BTreeMap<String, EventTrigger>,
    /// Extended statistics (`CREATE STATISTICS`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub statistics: BTreeMap<String, Statistics>,
    /// Access methods (`CREATE ACCESS METHOD`), keyed by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub access_methods: BTreeMap<String, AccessMethod>,
    /// Encoding conversions, keyed `schema.name`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub conversions: BTreeMap<String, Conversion>,
    /// Grants on objects an extension made that differ from those it made them with,
    /// keyed by what `GRANT .. ON` names (`LANGUAGE plpgsql`, `FUNCTION public.f(integer)`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extension_grants: BTreeMap<String, ExtensionGrants>,
    /// `ALTER DEFAULT PRIVILEGES`, keyed `FOR ROLE role [IN SCHEMA schema] ON kind`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub default_privileges: BTreeMap<String, DefaultPrivileges>,
    /// What each object depends on, from `pg_depend` (derived, for ordering): node →
    /// nodes, a node being `kind name` (`table public.users`, `column public.users.email`,
    /// `function public.f(x integer)`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub depends: BTreeMap<String, BTreeSet<String>>,
    /// Objects of kinds strata does not compare, by kind (`conversion` → names).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_compared: BTreeMap<String, BTreeSet<String>>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// The kind of a user-defined type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeKind {
    Enum,
    Domain,
    Composite,
    Range,
    Base,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    pub kind: TypeKind,
    /// Enum labels, in order.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "or_default"
    )]
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
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub checks: BTreeMap<String, String>,
    /// Comments on a domain's constraints.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub check_comments: BTreeMap<String, String>,
    /// Composite: (attribute, type) in order.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "or_default"
    )]
    pub attributes: Vec<(String, String)>,
    /// Composite: comments on attributes.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub attribute_comments: BTreeMap<String, String>,
    /// Range and base types: the properties `CREATE TYPE` takes (`SUBTYPE` →
    /// `integer`, `INPUT` → `public.cube_in`), in the order they are written.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "or_default"
    )]
    pub properties: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collation {
    /// `libc`, `icu` or `builtin`.
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lc_collate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lc_ctype: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
    pub deterministic: bool,
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
    #[serde(default, skip_serializing_if = "is_false")]
    pub unlogged: bool,
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

/// What makes a table a foreign table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForeignTable {
    pub server: String,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub options: BTreeMap<String, String>,
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
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "or_default"
    )]
    pub inherits: Vec<String>,
    /// Storage parameters (`reloptions`: `fillfactor` → `70`).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub options: BTreeMap<String, String>,
    /// Table access method when not `heap`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_method: Option<String>,
    /// Tablespace when not the database's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tablespace: Option<String>,
    /// `full`, `nothing` or `index <name>`; the default (primary key) is left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_identity: Option<String>,
    /// The index `CLUSTER` uses (`ALTER TABLE .. CLUSTER ON`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_on: Option<String>,
    /// The composite type of a typed table (`CREATE TABLE .. OF type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of_type: Option<String>,
    /// Server and options of a foreign table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign: Option<ForeignTable>,
    /// Columns in their physical order. Those inherited from a parent are marked; they are
    /// compared only when the table joins or leaves its parent.
    #[serde(default)]
    pub columns: Vec<Column>,
    #[serde(default)]
    pub constraints: BTreeMap<String, Constraint>,
    #[serde(default)]
    pub indexes: BTreeMap<String, Index>,
    #[serde(default)]
    pub triggers: BTreeMap<String, Trigger>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Rule>,
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

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    /// The expression of a generated column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// A generated column computed when read (PostgreSQL 18), not stored.
    #[serde(default, skip_serializing_if = "is_false")]
    pub generated_virtual: bool,
    /// Only when it differs from the type's default collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `SET STATISTICS` target, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<i32>,
    /// `SET STORAGE` (`plain`, `external`, `extended`, `main`) when not the type's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// The type's own storage, when the column has another (derived, not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_storage: Option<String>,
    /// `SET COMPRESSION` (`pglz`, `lz4`) when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// Attribute options (`SET (n_distinct = 100)`).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub set_options: BTreeMap<String, String>,
    /// A foreign table column's options.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub options: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Column-level grants, when there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
    /// The name of an identity column's sequence (derived, not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_sequence: Option<String>,
    /// Grants on an identity column's sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_acl: Option<Vec<String>>,
    /// Inherited from a parent (a partition's columns, an inheritance child's).
    #[serde(default, skip_serializing_if = "is_false")]
    pub inherited: bool,
    /// Inherited and also defined by the table itself (`attislocal`): what `ALTER TABLE …
    /// INHERIT` leaves, where `CREATE TABLE … INHERITS` defines the column only once.
    #[serde(default, skip_serializing_if = "is_false")]
    pub also_local: bool,
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
    /// Inherited from a parent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub inherited: bool,
    /// Inherited and also defined by the table itself (`conislocal`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub also_local: bool,
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
    /// Per-column statistics targets of an expression index (`ALTER INDEX .. ALTER COLUMN
    /// n SET STATISTICS`), by column number.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub statistics: BTreeMap<String, i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// A partition's index attached to its parent's.
    #[serde(default, skip_serializing_if = "is_false")]
    pub inherited: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    /// `pg_get_triggerdef`: the whole `CREATE TRIGGER` statement.
    pub definition: String,
    /// `pg_trigger.tgenabled`: `O` enabled, `D` disabled, `R` replica, `A` always.
    pub enabled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Cloned from the parent's trigger.
    #[serde(default, skip_serializing_if = "is_false")]
    pub inherited: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// `pg_get_ruledef`: the whole `CREATE RULE` statement.
    pub definition: String,
    /// `O` enabled, `D` disabled, `R` replica, `A` always.
    pub enabled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub permissive: bool,
    /// `*` all, `r` select, `a` insert, `w` update, `d` delete.
    pub command: String,
    #[serde(default, deserialize_with = "or_default")]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
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
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewColumn {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `SET STATISTICS` target (materialized views).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct View {
    #[serde(default, skip_serializing_if = "is_false")]
    pub materialized: bool,
    /// `pg_get_viewdef`: the query.
    pub definition: String,
    /// `WITH (..)` options (`security_barrier`, `check_option`, storage parameters).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub options: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tablespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_method: Option<String>,
    /// Columns that have a default, a comment or grants of their own.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub columns: BTreeMap<String, ViewColumn>,
    /// A materialized view's indexes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, Index>,
    /// Triggers (`INSTEAD OF` on views).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<String, Trigger>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Rule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
}

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}
pub(crate) fn is_true(b: &bool) -> bool {
    *b
}
pub(crate) fn yes() -> bool {
    true
}

/// Deserialises JSON `null` as the type's default (an empty list or map).
pub(crate) fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
