//! Introspection: reads a database's schema from the PostgreSQL catalogs into one
//! normalised [`CatalogModel`], in a fixed number of catalog queries whatever the schema's
//! size: one round trip for the server's version and the cluster's roles and tablespaces,
//! then one batch of queries in a single read-only snapshot. `diff` compares two models;
//! `snapshot` stores one; later checks read the same one.
//!
//! Names are keys as PostgreSQL prints them, schema-qualified and quoted only when needed
//! (`public.users`, `public."order"`): the queries run with `search_path = ''`, so
//! defaults, foreign keys and view bodies name their objects the same way on every
//! database. Left out: PostgreSQL's own schemas, objects that belong to an extension,
//! internal triggers, identity sequences (part of their column), and strata's own history
//! and lock tables (recognised by name and columns). What a partition or an inheritance
//! child inherits is read and marked.
//!
//! Derived and never compared, for ordering `diff --sql`: `pg_depend`'s record of what
//! every object depends on, as one graph over the model's names ([`CatalogModel::depends`]).

mod assemble;
mod depgraph;
pub mod model;
mod queries;
mod rows;

use std::collections::BTreeSet;

use serde::Deserialize;
use tokio_postgres::{Client, SimpleQueryMessage};

pub use assemble::default_privileges_key;
pub use model::*;

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
    /// Read `pg_depend` into [`CatalogModel::depends`]: only a script is ordered by it,
    /// so a diff that writes none leaves out the largest query.
    pub dependencies: bool,
}

/// A model and how it was read.
#[derive(Debug, Clone)]
pub struct Introspection {
    pub model: CatalogModel,
    /// Catalog queries run to read it: the same for any schema size.
    pub catalog_queries: usize,
    /// `server_version_num` of the server read.
    pub server_version: String,
    /// Roles of the server's cluster (cluster-wide: referenced, never created).
    pub roles: BTreeSet<String>,
    /// Tablespaces of the server's cluster.
    pub tablespaces: BTreeSet<String>,
    /// The grants a new object gets on this server.
    pub acl_defaults: AclDefaults,
}

/// The grants PostgreSQL gives a new object (`acldefault`), per object kind letter, as
/// `aclitem` texts for the bootstrap superuser as owner.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AclDefaults {
    /// The owner named in the templates.
    #[serde(default)]
    pub bootstrap: String,
    #[serde(default, deserialize_with = "model::or_default")]
    pub templates: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct ServerRow {
    server_version: String,
    #[serde(default, deserialize_with = "model::or_default")]
    roles: BTreeSet<String>,
    #[serde(default, deserialize_with = "model::or_default")]
    tablespaces: BTreeSet<String>,
    #[serde(default)]
    acl_defaults: AclDefaults,
}

/// The first column of every row `messages` hold, in order.
fn texts(messages: Vec<SimpleQueryMessage>) -> Vec<String> {
    messages
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(row.get(0).unwrap_or("[]").to_string()),
            _ => None,
        })
        .collect()
}

/// What one query of the batch answered: one JSON text, or rows for the queries that
/// return plain rows (see [`rows`]).
pub(crate) enum Answer {
    Json(String),
    Rows(Vec<tokio_postgres::SimpleQueryRow>),
}

/// The rows of each statement of a batch, in order (a statement ends with its
/// `CommandComplete`).
fn statements(messages: Vec<SimpleQueryMessage>) -> Vec<Vec<tokio_postgres::SimpleQueryRow>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for m in messages {
        match m {
            SimpleQueryMessage::Row(row) => current.push(row),
            SimpleQueryMessage::CommandComplete(_) => out.push(std::mem::take(&mut current)),
            _ => {}
        }
    }
    out
}

/// How many catalog queries an introspection runs, whatever the schema (one fewer without
/// [`IntrospectOptions::dependencies`]).
pub const CATALOG_QUERIES: usize = 17;

/// Reads the schema of the database `client` is connected to: the server's facts first,
/// then all queries in one round trip, in a read-only repeatable-read transaction (one
/// consistent snapshot) with `search_path = ''` and `jit = off`; nothing is written and the
/// session's settings are restored.
///
/// JIT is off because the catalog queries are large (hundreds of expressions) and read a
/// few thousand rows: on a server built with LLVM their estimated cost passes
/// `jit_above_cost` and compiling them took longer than running them (1.1 s of the 1.6 s
/// of the dependency query at 1,000 tables, PostgreSQL 15).
pub async fn introspect(
    client: &Client,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let first = client
        .simple_query(queries::SERVER)
        .await
        .map_err(|e| IntrospectError::Query(crate::conn::describe_pg_error(&e)))?;
    let server: ServerRow = texts(first)
        .first()
        .ok_or_else(|| IntrospectError::Decode {
            index: 1,
            message: "no result".into(),
        })
        .and_then(|t| {
            serde_json::from_str(t).map_err(|e| IntrospectError::Decode {
                index: 1,
                message: e.to_string(),
            })
        })?;
    let scope = queries::Scope {
        history: (&options.history_schema, &options.history_table),
        privileges: options.privileges,
        version: server.server_version.parse().unwrap_or(0),
    };
    let mut list = queries::all(&scope);
    if !options.dependencies {
        list.retain(|(part, _)| *part != queries::Part::Depends);
    }
    const PREFIX: [&str; 3] = [
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        "SET LOCAL search_path = ''",
        "SET LOCAL jit = off",
    ];
    let mut batch = String::new();
    for p in PREFIX {
        batch.push_str(p);
        batch.push_str(";\n");
    }
    for (_, q) in &list {
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
    // The statements' results: the prefix's, one per query, then COMMIT's.
    let mut results = statements(messages).into_iter().skip(PREFIX.len());
    let mut parts = Vec::with_capacity(list.len());
    for (i, (part, _)) in list.into_iter().enumerate() {
        let rows = results.next().ok_or_else(|| IntrospectError::Decode {
            index: i + 2,
            message: "no result".into(),
        })?;
        let answer = if part.returns_rows() {
            Answer::Rows(rows)
        } else {
            match rows.first().map(|r| r.get(0)) {
                Some(Some(text)) => Answer::Json(text.to_string()),
                Some(None) => Answer::Json("[]".into()),
                None => {
                    return Err(IntrospectError::Decode {
                        index: i + 2,
                        message: "no result".into(),
                    })
                }
            }
        };
        parts.push((part, answer));
    }
    let catalog_queries = parts.len() + 1;
    // On a thread of its own: the two sides of a diff are read at once, and the side that
    // arrives first is parsed while the other is still read or parsed.
    let model = tokio::task::spawn_blocking(move || assemble::assemble(parts))
        .await
        .map_err(|e| IntrospectError::Query(format!("reading the catalog: {e}")))??;
    Ok(Introspection {
        model,
        catalog_queries,
        server_version: server.server_version,
        roles: server.roles,
        tablespaces: server.tablespaces,
        acl_defaults: server.acl_defaults,
    })
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
        for version in [130000, 150000, 180000] {
            let scope = queries::Scope {
                history: ("public", "schema_migrations"),
                privileges: false,
                version,
            };
            assert_eq!(queries::all(&scope).len() + 1, CATALOG_QUERIES);
        }
    }
}
