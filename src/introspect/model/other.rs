//! The model's structs for aggregates, operators, operator families and classes, casts,
//! text search objects, foreign data wrappers, servers, user mappings, publications, event
//! triggers, extended statistics and default privileges.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{is_false, or_default};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    /// `pg_get_function_arguments` (with `ORDER BY` for an ordered-set aggregate; `*`
    /// when it takes none).
    pub arguments: String,
    /// `normal`, `ordered-set` or `hypothetical`.
    pub kind: String,
    /// The `CREATE AGGREGATE` options (`SFUNC` → `public.f`), in the order written.
    #[serde(default, deserialize_with = "or_default")]
    pub options: Vec<(String, String)>,
    /// `regprocedure`-style signature (derived, not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operator {
    /// Schema-qualified operator name (`public.===`).
    pub name: String,
    /// The `CREATE OPERATOR` options (`FUNCTION` → `public.f`, `LEFTARG` → `integer`,
    /// `COMMUTATOR` → `OPERATOR(public.===)`, `HASHES` → ``), in the order written.
    #[serde(default, deserialize_with = "or_default")]
    pub options: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperatorFamily {
    /// Schema-qualified name and access method.
    pub name: String,
    pub method: String,
    /// Members added with `ALTER OPERATOR FAMILY .. ADD` (not through an operator class):
    /// `OPERATOR 1 public.<(integer,integer)`, `FUNCTION 1 (integer, integer) public.f(..)`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "or_default"
    )]
    pub members: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperatorClass {
    pub name: String,
    pub method: String,
    /// The indexed type.
    #[serde(rename = "type")]
    pub data_type: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    /// The family, `name USING method`, when not the class's own name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// `STORAGE` type, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    #[serde(default, deserialize_with = "or_default")]
    pub members: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cast {
    pub source: String,
    pub target: String,
    /// `WITH FUNCTION f(..)`, `WITHOUT FUNCTION` or `WITH INOUT`.
    pub method: String,
    /// `explicit`, `assignment` or `implicit`.
    pub context: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSearchParser {
    /// `START = f, GETTOKEN = f, ..`.
    #[serde(default, deserialize_with = "or_default")]
    pub options: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSearchTemplate {
    /// `INIT = f, LEXIZE = f`.
    #[serde(default, deserialize_with = "or_default")]
    pub options: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSearchDictionary {
    pub template: String,
    /// `dictinitoption` as stored (`stopwords = 'english'`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSearchConfiguration {
    pub parser: String,
    /// Token type → dictionaries, in order.
    #[serde(default, deserialize_with = "or_default")]
    pub mappings: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForeignDataWrapper {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validator: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub options: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForeignServer {
    pub wrapper: String,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub server_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub options: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<String>>,
}

/// A user mapping. Options that hold secrets (`password` and the like) are never read:
/// only that they are set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserMapping {
    pub role: String,
    pub server: String,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub options: BTreeMap<String, String>,
    /// Names of the secret options that are set.
    #[serde(
        default,
        skip_serializing_if = "BTreeSet::is_empty",
        deserialize_with = "or_default"
    )]
    pub secret_options: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    #[serde(default, skip_serializing_if = "is_false")]
    pub all_tables: bool,
    /// `insert, update, delete, truncate` as published.
    pub publish: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub via_root: bool,
    /// Table → its `(columns) WHERE (..)` clause (empty when none).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "or_default"
    )]
    pub tables: BTreeMap<String, String>,
    /// `TABLES IN SCHEMA` schemas.
    #[serde(
        default,
        skip_serializing_if = "BTreeSet::is_empty",
        deserialize_with = "or_default"
    )]
    pub schemas: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventTrigger {
    pub event: String,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "or_default"
    )]
    pub tags: Vec<String>,
    pub function: String,
    /// `O` enabled, `D` disabled, `R` replica, `A` always.
    pub enabled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// `pg_get_statisticsobjdef`: the whole `CREATE STATISTICS` statement.
    pub definition: String,
    /// The table it is on.
    pub table: String,
    /// `SET STATISTICS` target when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// Default privileges of a role (in a schema or everywhere) for one kind of object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefaultPrivileges {
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `TABLES`, `SEQUENCES`, `FUNCTIONS`, `TYPES`, `SCHEMAS`.
    pub object_kind: String,
    /// The grants, as `aclitem` texts.
    #[serde(default, deserialize_with = "or_default")]
    pub acl: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessMethod {
    /// `index` or `table`.
    #[serde(rename = "type")]
    pub method_type: String,
    pub handler: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversion {
    pub source: String,
    pub destination: String,
    pub function: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// The grants of an object an extension made, and those it made it with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtensionGrants {
    #[serde(default, deserialize_with = "or_default")]
    pub acl: Vec<String>,
    #[serde(default, deserialize_with = "or_default")]
    pub initial: Vec<String>,
    /// Its owner (who grants as the object's owner).
    pub owner: String,
}
