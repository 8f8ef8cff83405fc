//! strata's writer lock: a session-level PostgreSQL advisory lock taken by polling within
//! a time bound, so two writers never run at once and a stuck holder is named.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio_postgres::types::Type;
use tokio_postgres::Client;

use crate::history::History;

/// Who holds strata's lock, from `pg_locks` and `pg_stat_activity`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LockHolder {
    pub pid: i32,
    pub application_name: String,
    pub user: String,
    pub since: Option<String>,
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another session held the lock for longer than the timeout.
    #[error("timed out after {waited:?} waiting for strata's lock on {table}: {}", holder_text(.holder))]
    Timeout {
        table: String,
        waited: Duration,
        holder: Option<LockHolder>,
    },
    /// The advisory lock did not stay with the session: a pooler in transaction mode ran
    /// the next statement on another server session.
    #[error("strata's advisory lock did not stay with this session: it was taken by server session {taken_by}, and the next statement ran on {then_on}. A connection pooler in transaction mode (PgBouncer pool_mode = transaction) is between strata and the server; set lock_mode = \"table\" in the [settings] of schema.toml, or connect in session mode or directly (the lock stays held by server session {taken_by} until the pooler closes it)")]
    PoolerTransactionMode { taken_by: i32, then_on: i32 },
    /// The lock query itself failed.
    #[error("could not take strata's lock: {0}")]
    Db(#[from] tokio_postgres::Error),
}

fn holder_text(holder: &Option<LockHolder>) -> String {
    match holder {
        Some(h) => format!(
            "held by pid {} (application '{}', user {}{}); wait, or end that session with SELECT pg_terminate_backend({})",
            h.pid,
            h.application_name,
            h.user,
            h.since
                .as_ref()
                .map(|s| format!(", since {s}"))
                .unwrap_or_default(),
            h.pid
        ),
        None => "the holder has gone".into(),
    }
}

/// The advisory lock key for a history table: the same for every strata process using
/// that table, different for another project in another history table.
pub fn lock_key(history: &History) -> i64 {
    let digest = Sha256::digest(format!("strata:{}", history.qualified()).as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// A held advisory lock; release it with [`AdvisoryLock::release`] (the server releases it
/// anyway when the session ends, e.g. on Ctrl-C).
#[derive(Debug)]
pub struct AdvisoryLock {
    key: i64,
}

impl AdvisoryLock {
    /// Takes the lock, polling until `timeout`.
    pub async fn acquire(
        client: &Client,
        history: &History,
        timeout: Duration,
    ) -> Result<AdvisoryLock, LockError> {
        let key = lock_key(history);
        let started = Instant::now();
        let mut pause = Duration::from_millis(20);
        loop {
            let row = client
                .query_typed_one(
                    "SELECT pg_try_advisory_lock($1), pg_catalog.pg_backend_pid()",
                    &[(&key, Type::INT8)],
                )
                .await?;
            let (got, taken_by): (bool, i32) = (row.get(0), row.get(1));
            if got {
                stays_with_session(client, taken_by).await?;
                return Ok(AdvisoryLock { key });
            }
            let waited = started.elapsed();
            if waited >= timeout {
                return Err(LockError::Timeout {
                    table: history.qualified(),
                    waited: Duration::from_millis(waited.as_millis() as u64),
                    holder: holder(client, key).await?,
                });
            }
            tokio::time::sleep(pause.min(timeout.saturating_sub(waited))).await;
            pause = (pause * 2).min(Duration::from_millis(250));
        }
    }

    pub async fn release(self, client: &Client) -> Result<(), tokio_postgres::Error> {
        client
            .query_typed_one("SELECT pg_advisory_unlock($1)", &[(&self.key, Type::INT8)])
            .await?;
        Ok(())
    }
}

/// Checks, in two more statements, that they run on the server session that took the lock:
/// behind a pooler in transaction mode they may not, and the lock would not protect the
/// run.
async fn stays_with_session(client: &Client, taken_by: i32) -> Result<(), LockError> {
    for _ in 0..2 {
        let then_on: i32 = client
            .query_typed_one("SELECT pg_catalog.pg_backend_pid()", &[])
            .await?
            .get(0);
        if then_on != taken_by {
            return Err(LockError::PoolerTransactionMode { taken_by, then_on });
        }
    }
    Ok(())
}

/// The session holding the advisory lock `key` in this database, if any (advisory locks
/// are per database: a run on another database of the server is not a holder).
pub async fn holder(
    client: &Client,
    key: i64,
) -> Result<Option<LockHolder>, tokio_postgres::Error> {
    let row = client
        .query_typed_opt(
            "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, ''),
                    to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ')
             FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted
               AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
               AND l.classid = (($1::bigint >> 32) & 4294967295)::bigint::oid
               AND l.objid = ($1::bigint & 4294967295)::bigint::oid
               AND l.objsubid = 1
             LIMIT 1",
            &[(&key, Type::INT8)],
        )
        .await?;
    Ok(row.map(|r| LockHolder {
        pid: r.get(0),
        application_name: r.get(1),
        user: r.get(2),
        since: r.get(3),
    }))
}

pub use crate::project::lock_table_name;

/// How long a table lock holds without being renewed: a run that dies leaves it for this
/// long at most (there is no session to end, as with an advisory lock).
pub const TABLE_LOCK_LEASE_SECS: i64 = 600;

/// strata's lock as a row of a lock table, for connection poolers in transaction mode,
/// where a session-level advisory lock does not stay with the session: a lease taken with
/// one UPDATE, renewed as work goes on, released with another.
#[derive(Debug)]
pub struct TableLock {
    table: String,
    token: String,
}

impl TableLock {
    /// `"schema"."<history>_lock"`.
    fn table(history: &History) -> String {
        format!(
            "{}.{}",
            crate::local::quote_ident(&history.schema),
            crate::local::quote_ident(&lock_table_name(&history.table))
        )
    }

    /// Takes the lease, polling until `timeout`.
    pub async fn acquire(
        client: &Client,
        history: &History,
        timeout: Duration,
    ) -> Result<TableLock, LockError> {
        let table = Self::table(history);
        let create = format!(
            "CREATE SCHEMA IF NOT EXISTS {schema};
             CREATE TABLE IF NOT EXISTS {table} (
                 id integer PRIMARY KEY CHECK (id = 1),
                 holder text, pid integer, application text, username text,
                 locked_at timestamptz, expires_at timestamptz);
             INSERT INTO {table} (id) VALUES (1) ON CONFLICT (id) DO NOTHING;",
            schema = crate::local::quote_ident(&history.schema),
        );
        // Two first runs may race to create it; the loser finds it made.
        if client.batch_execute(&create).await.is_err() {
            client.batch_execute(&create).await?;
        }
        let token = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let take = format!(
            "UPDATE {table} SET holder = $1, pid = pg_backend_pid(), application = current_setting('application_name'),
                 username = current_user, locked_at = now(), expires_at = now() + make_interval(secs => {TABLE_LOCK_LEASE_SECS})
             WHERE id = 1 AND (holder IS NULL OR expires_at < now())"
        );
        let started = Instant::now();
        let mut pause = Duration::from_millis(20);
        loop {
            if client.execute_typed(&take, &[(&token, Type::TEXT)]).await? == 1 {
                return Ok(TableLock { table, token });
            }
            let waited = started.elapsed();
            if waited >= timeout {
                let row = client
                    .query_typed_opt(
                        &format!(
                            "SELECT coalesce(pid, 0), coalesce(application, ''), coalesce(username, ''),
                                    to_char(locked_at, 'YYYY-MM-DD HH24:MI:SS TZ') || ', lease until ' || to_char(expires_at, 'HH24:MI:SS TZ')
                             FROM {table} WHERE id = 1 AND holder IS NOT NULL"
                        ),
                        &[],
                    )
                    .await?;
                return Err(LockError::Timeout {
                    table,
                    waited: Duration::from_millis(waited.as_millis() as u64),
                    holder: row.map(|r| LockHolder {
                        pid: r.get(0),
                        application_name: r.get(1),
                        user: r.get(2),
                        since: r.get(3),
                    }),
                });
            }
            tokio::time::sleep(pause.min(timeout.saturating_sub(waited))).await;
            pause = (pause * 2).min(Duration::from_millis(250));
        }
    }

    /// Extends the lease (call as work goes on).
    pub async fn renew(&self, client: &Client) -> Result<(), tokio_postgres::Error> {
        client
            .execute_typed(
                &format!(
                    "UPDATE {} SET expires_at = now() + make_interval(secs => {TABLE_LOCK_LEASE_SECS}) WHERE id = 1 AND holder = $1",
                    self.table
                ),
                &[(&self.token, Type::TEXT)],
            )
            .await?;
        Ok(())
    }

    pub async fn release(self, client: &Client) -> Result<(), tokio_postgres::Error> {
        client
            .execute_typed(
                &format!(
                    "UPDATE {} SET holder = NULL, pid = NULL, application = NULL, username = NULL, locked_at = NULL, expires_at = NULL WHERE id = 1 AND holder = $1",
                    self.table
                ),
                &[(&self.token, Type::TEXT)],
            )
            .await?;
        Ok(())
    }
}

/// strata's writer lock, in the mode schema.toml chose.
#[derive(Debug)]
pub enum WriterLock {
    Advisory(AdvisoryLock),
    Table(TableLock),
}

impl WriterLock {
    pub async fn acquire(
        client: &Client,
        history: &History,
        mode: crate::project::LockMode,
        timeout: Duration,
    ) -> Result<WriterLock, LockError> {
        Ok(match mode {
            crate::project::LockMode::Advisory => {
                WriterLock::Advisory(AdvisoryLock::acquire(client, history, timeout).await?)
            }
            crate::project::LockMode::Table => {
                WriterLock::Table(TableLock::acquire(client, history, timeout).await?)
            }
        })
    }

    /// Keeps a table lease alive; nothing to do for an advisory lock.
    pub async fn renew(&self, client: &Client) {
        if let WriterLock::Table(t) = self {
            let _ = t.renew(client).await;
        }
    }

    pub async fn release(self, client: &Client) -> Result<(), tokio_postgres::Error> {
        match self {
            WriterLock::Advisory(a) => a.release(client).await,
            WriterLock::Table(t) => t.release(client).await,
        }
    }
}
