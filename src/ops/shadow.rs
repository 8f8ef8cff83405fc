//! The scratch ("shadow") database: a temporary database the project's migrations are
//! applied to, so the expected schema is what the migrations make. It is created on the
//! first server that lets the role create a database — the live database's own server,
//! then `--shadow-url`, then the local database's server — and always dropped: by
//! [`Scratch::drop_now`] on the normal path, and by [`drop_leftovers`] (which the CLI runs
//! after every command, Ctrl-C included) when the run was cut short. A run killed outright
//! (SIGKILL) cannot clean up: the next run on that server drops the scratch databases no
//! session uses and no live run holds (each run holds an advisory lock for its own from
//! before it creates it). Falling back to the local database's server is a notice, and a
//! local server started for that is stopped again.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio_postgres::error::SqlState;

use super::apply::apply;
use super::{ApplyOptions, EngineError, NoProgress, Session, Timeouts};
use crate::conn::ConnParams;
use crate::introspect::{introspect, IntrospectOptions, Introspection};
use crate::local::quote_ident;
use crate::notices;
use crate::project::Project;

/// Scratch databases created by this process and not dropped yet.
static LEFTOVERS: Mutex<Vec<(ConnParams, String)>> = Mutex::new(Vec::new());

/// The first key of the advisory lock a run holds for its scratch database (the second is
/// `hashtext(name)`): "STRA" in ASCII.
const SCRATCH_LOCK_KEY: i32 = 0x5354_5241;

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
pub struct Scratch {
    pub admin: ConnParams,
    pub name: String,
    pub label: String,
    /// The session that created it, holding its advisory lock until it is dropped.
    owner: tokio_postgres::Client,
    /// A local server started only for this scratch database: stopped after it.
    started_local: Option<crate::local::Cluster>,
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scratch({} on {})", self.name, self.label)
    }
}

impl Scratch {
    /// Connection parameters of the scratch database.
    pub fn params(&self) -> ConnParams {
        let mut p = self.admin.with_dbname(&self.name);
        p.application_name = Some("strata diff (scratch)".into());
        p
    }

    /// Drops the database (terminating any session still on it), then stops a local
    /// server started for it.
    pub async fn drop_now(self) -> Result<(), EngineError> {
        let result = self
            .owner
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident(&self.name)
            ))
            .await
            .map_err(EngineError::db(format!(
                "dropping the scratch database {}",
                self.name
            )));
        forget(&self.name);
        drop(self.owner);
        if let Some(cluster) = self.started_local {
            match cluster.stop() {
                Ok(_) => notices::note(format!(
                    "stopped the local database in {} again (it was started only for the scratch database)",
                    cluster.root.display()
                )),
                Err(e) => notices::note(format!(
                    "could not stop the local database in {}: {e}",
                    cluster.root.display()
                )),
            }
        }
        result
    }
}

fn forget(name: &str) {
    if let Ok(mut list) = LEFTOVERS.lock() {
        list.retain(|(_, n)| n != name);
    }
}

async fn drop_database(admin: &ConnParams, name: &str) -> Result<(), EngineError> {
    let client = admin.connect().await.map_err(EngineError::connect(format!(
        "dropping the scratch database {name}"
    )))?;
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
            notices::note(format!("could not drop the scratch database {name}: {e}"));
        }
    }
}

/// Drops scratch databases left on this server by runs that were killed: those no session
/// is connected to and no run holds the lock of. Returns their names.
async fn drop_abandoned(client: &tokio_postgres::Client) -> Vec<String> {
    let rows = client
        .query_typed(
            "SELECT d.datname::text FROM pg_catalog.pg_database d
             WHERE d.datname LIKE 'strata\\_shadow\\_%'
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.datname = d.datname)
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks l
                               WHERE l.locktype = 'advisory' AND l.objsubid = 2
                                 AND l.classid = $1::int4::oid
                                 AND l.objid = pg_catalog.hashtext(d.datname)::oid)
             ORDER BY 1",
            &[(&SCRATCH_LOCK_KEY, tokio_postgres::types::Type::INT4)],
        )
        .await
        .unwrap_or_default();
    let mut dropped = Vec::new();
    for row in rows {
        let name: String = row.get(0);
        // Without FORCE: a session that arrived meanwhile keeps it.
        if client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {}", quote_ident(&name)))
            .await
            .is_ok()
        {
            dropped.push(name);
        }
    }
    dropped
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
    for (index, candidate) in candidates.iter().enumerate() {
        let name = scratch_name();
        let mut started = None;
        if let Some(cluster) = &candidate.local {
            match cluster.start() {
                Ok(true) => started = Some(cluster.clone()),
                Ok(false) => {}
                Err(e) => {
                    refusals.push(format!("{}: {e}", candidate.label));
                    continue;
                }
            }
        }
        let stop_started = |started: &Option<crate::local::Cluster>| {
            if let Some(c) = started {
                let _ = c.stop();
            }
        };
        let client = match candidate.params.connect().await {
            Ok(c) => c,
            Err(e) => {
                refusals.push(format!("{}: {e}", candidate.label));
                stop_started(&started);
                continue;
            }
        };
        for abandoned in drop_abandoned(&client).await {
            notices::note(format!(
                "dropped the scratch database {abandoned} on {}, left by a run that was killed",
                candidate.label
            ));
        }
        // Held until the database is dropped: a run starting meanwhile leaves it alone.
        let _ = client
            .execute_typed(
                "SELECT pg_catalog.pg_advisory_lock($1, pg_catalog.hashtext($2))",
                &[
                    (&SCRATCH_LOCK_KEY, tokio_postgres::types::Type::INT4),
                    (&name, tokio_postgres::types::Type::TEXT),
                ],
            )
            .await;
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
                if index > 0 {
                    notices::note(format!(
                        "the scratch database for the migrations is on {} ({})",
                        candidate.label,
                        refusals.join("; ")
                    ));
                }
                return Ok(Scratch {
                    admin: candidate.params.clone(),
                    name,
                    label: candidate.label.clone(),
                    owner: client,
                    started_local: started,
                });
            }
            Err(e) => {
                forget(&name);
                let why = if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
                    "the role may not create databases".to_string()
                } else {
                    crate::conn::describe_pg_error(&e)
                };
                refusals.push(format!("{}: {why}", candidate.label));
                stop_started(&started);
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
    let client = params
        .connect()
        .await
        .map_err(EngineError::connect("connecting to the scratch database"))?;
    // Nothing on a scratch database needs to survive a crash: commits need not wait for
    // the disk.
    client
        .batch_execute("SET synchronous_commit = off")
        .await
        .map_err(EngineError::db("preparing the scratch database"))?;
    let session = Session::new(client, project, params);
    let timeouts = Timeouts::scratch(lock_wait);
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
