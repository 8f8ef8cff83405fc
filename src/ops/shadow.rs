//! The scratch ("shadow") database: a temporary database the project's migrations are
//! applied to, so the expected schema is what the migrations make. It is created on the
//! first server that lets the role create a database — the live database's own server,
//! then `--shadow-url`, then the local database's server — and always dropped: by
//! [`Scratch::drop_now`] on the normal path, and by [`drop_leftovers`] (which the CLI runs
//! after every command, Ctrl-C included) when the run was cut short.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio_postgres::error::SqlState;

use super::apply::{apply, ApplyOptions};
use super::{EngineError, NoProgress, Session, Timeouts};
use crate::conn::ConnParams;
use crate::introspect::{introspect, IntrospectOptions, Introspection};
use crate::local::quote_ident;
use crate::project::Project;

/// Scratch databases created by this process and not dropped yet.
static LEFTOVERS: Mutex<Vec<(ConnParams, String)>> = Mutex::new(Vec::new());

/// A server where a scratch database may be created.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Connection to any database of that server.
    pub params: ConnParams,
    /// How it is named in messages: `the live server`, `--shadow-url`, `the local server`.
    pub label: String,
    /// The local cluster to start first, when the candidate is the local server.
    pub local: Option<crate::local::Cluster>,
}

/// A scratch database that exists.
#[derive(Debug)]
pub struct Scratch {
    pub admin: ConnParams,
    pub name: String,
    pub label: String,
}

impl Scratch {
    /// Connection parameters of the scratch database.
    pub fn params(&self) -> ConnParams {
        let mut p = self.admin.with_dbname(&self.name);
        p.application_name = Some("strata diff (scratch)".into());
        p
    }

    /// Drops the database (terminating any session still on it).
    pub async fn drop_now(self) -> Result<(), EngineError> {
        let result = drop_database(&self.admin, &self.name).await;
        forget(&self.name);
        result
    }
}

fn forget(name: &str) {
    if let Ok(mut list) = LEFTOVERS.lock() {
        list.retain(|(_, n)| n != name);
    }
}

async fn drop_database(admin: &ConnParams, name: &str) -> Result<(), EngineError> {
    let client = admin.connect().await.map_err(|e| EngineError::Db {
        context: format!("dropping the scratch database {name}"),
        message: e.to_string(),
    })?;
    client
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(name)
        ))
        .await
        .map_err(EngineError::db(format!(
            "dropping the scratch database {name}"
        )))
}

/// Drops every scratch database this process created and has not dropped yet.
pub async fn drop_leftovers() {
    let list: Vec<(ConnParams, String)> = match LEFTOVERS.lock() {
        Ok(mut list) => std::mem::take(&mut *list),
        Err(_) => return,
    };
    for (admin, name) in list {
        if let Err(e) = drop_database(&admin, &name).await {
            eprintln!("strata: could not drop the scratch database {name}: {e}");
        }
    }
}

fn scratch_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("strata_shadow_{}_{:08x}", std::process::id(), nanos)
}

/// Creates a scratch database on the first candidate that allows it. Every refusal is
/// kept for the error message when none does.
pub async fn create(candidates: &[Candidate]) -> Result<Scratch, EngineError> {
    let mut refusals = Vec::new();
    for candidate in candidates {
        let name = scratch_name();
        if let Some(cluster) = &candidate.local {
            if let Err(e) = cluster.start() {
                refusals.push(format!("{}: {e}", candidate.label));
                continue;
            }
        }
        let client = match candidate.params.connect().await {
            Ok(c) => c,
            Err(e) => {
                refusals.push(format!("{}: {e}", candidate.label));
                continue;
            }
        };
        // Registered before it exists, so a Ctrl-C during CREATE still cleans up.
        if let Ok(mut list) = LEFTOVERS.lock() {
            list.push((candidate.params.clone(), name.clone()));
        }
        match client
            .batch_execute(&format!(
                "CREATE DATABASE {} TEMPLATE template0",
                quote_ident(&name)
            ))
            .await
        {
            Ok(()) => {
                return Ok(Scratch {
                    admin: candidate.params.clone(),
                    name,
                    label: candidate.label.clone(),
                })
            }
            Err(e) => {
                forget(&name);
                let why = if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
                    "the role may not create databases".to_string()
                } else {
                    crate::conn::describe_pg_error(&e)
                };
                refusals.push(format!("{}: {why}", candidate.label));
            }
        }
    }
    Err(EngineError::Scratch(refusals.join("; ")))
}

/// Applies the project's migrations to a scratch database and reads the schema they make;
/// the scratch database is dropped whatever happens.
pub async fn expected_schema(
    project: &Project,
    candidates: &[Candidate],
    introspect_options: &IntrospectOptions,
    lock_wait: std::time::Duration,
) -> Result<(Introspection, String), EngineError> {
    expected_schema_upto(project, candidates, introspect_options, lock_wait, None).await
}

/// Like [`expected_schema`], with the migrations up to and including version `to` only.
pub async fn expected_schema_upto(
    project: &Project,
    candidates: &[Candidate],
    introspect_options: &IntrospectOptions,
    lock_wait: std::time::Duration,
    to: Option<i64>,
) -> Result<(Introspection, String), EngineError> {
    let scratch = create(candidates).await?;
    let description = format!("migrations (scratch database on {})", scratch.label);
    let result = build(project, &scratch, introspect_options, lock_wait, to).await;
    let dropped = scratch.drop_now().await;
    let model = result?;
    dropped?;
    Ok((model, description))
}

async fn build(
    project: &Project,
    scratch: &Scratch,
    introspect_options: &IntrospectOptions,
    lock_wait: std::time::Duration,
    to: Option<i64>,
) -> Result<Introspection, EngineError> {
    let params = scratch.params();
    let client = params.connect().await.map_err(|e| EngineError::Db {
        context: "connecting to the scratch database".into(),
        message: e.to_string(),
    })?;
    // Nothing on a scratch database needs to survive a crash: commits need not wait for
    // the disk.
    client
        .batch_execute("SET synchronous_commit = off")
        .await
        .map_err(EngineError::db("preparing the scratch database"))?;
    let session = Session::new(client, project, params.redacted());
    let timeouts = Timeouts {
        lock_wait,
        ddl_lock: std::time::Duration::ZERO,
        statement: std::time::Duration::ZERO,
    };
    apply(
        &session,
        &ApplyOptions {
            to,
            ..ApplyOptions::default()
        },
        &timeouts,
        &mut NoProgress,
    )
    .await?;
    Ok(introspect(&session.client, introspect_options).await?)
}
