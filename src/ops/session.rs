//! A connected session on one database for one project: the client, the history table,
//! the writer lock with the migration timeouts, and running one script (with its history
//! row) in one round trip.

use std::time::Duration;

use tokio_postgres::Client;

use super::error::{describe_failure, EngineError, MigrationFailure, Sent};
use super::lockwait::{Backoff, RetryPolicy, Watch};
use super::Progress;
use crate::conn::ConnParams;
use crate::history::{History, HistoryRow};
use crate::lock::WriterLock;
use crate::migration::Migration;
use crate::project::Project;
use crate::sql_split::Statement;

/// Timeouts applied to writing sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// How long to wait for strata's own lock.
    pub lock_wait: Duration,
    /// PostgreSQL `lock_timeout` while migrations run (zero = none).
    pub ddl_lock: Duration,
    /// PostgreSQL `statement_timeout` while migrations run (zero = none).
    pub statement: Duration,
    /// How a migration that gave up on a lock (`ddl_lock`) is retried.
    pub ddl_retry: RetryPolicy,
}

impl Timeouts {
    /// For scratch databases: strata's lock wait only, no PostgreSQL timeouts.
    pub fn scratch(lock_wait: Duration) -> Timeouts {
        Timeouts {
            lock_wait,
            ddl_lock: Duration::ZERO,
            statement: Duration::ZERO,
            ddl_retry: RetryPolicy::NONE,
        }
    }
}

/// A connected session on one database for one project.
pub struct Session<'p> {
    pub client: Client,
    pub project: &'p Project,
    pub history: History,
    /// Where the session is connected (other connections of the same run, e.g. check's
    /// pool, go there too).
    pub params: ConnParams,
    /// The target, without password, for reports.
    pub target: String,
}

impl<'p> Session<'p> {
    pub fn new(client: Client, project: &'p Project, params: ConnParams) -> Session<'p> {
        let s = &project.config.settings;
        Session {
            client,
            project,
            history: History::new(&s.history_schema, &s.history_table),
            target: params.redacted(),
            params,
        }
    }

    /// Makes the session work in tenant schema `schema`: the history table is
    /// `<schema>.<history_table>` (so the writer lock's key and lease row are the schema's
    /// too) and migrations run with `search_path` set to the schema alone.
    pub async fn use_schema(&mut self, schema: &str) -> Result<(), EngineError> {
        self.history = History::new(schema, &self.history.table);
        self.target = format!("{} schema {schema}", self.params.redacted());
        self.client
            .batch_execute(&format!(
                "SET search_path TO {}",
                crate::local::quote_ident(schema)
            ))
            .await
            .map_err(EngineError::db("setting search_path to the tenant schema"))
    }

    /// True when the server is a standby: in recovery, read-only.
    pub async fn in_recovery(&self) -> Result<bool, EngineError> {
        Ok(self
            .client
            .query_typed_one("SELECT pg_catalog.pg_is_in_recovery()", &[])
            .await
            .map_err(EngineError::db("asking whether the server is a standby"))?
            .get(0))
    }

    /// Refuses a standby, for a command that writes (`command`), whether or not it has
    /// anything to do: a deploy pointed at the wrong host fails loudly.
    pub async fn require_primary(&self, command: &'static str) -> Result<(), EngineError> {
        if self.in_recovery().await? {
            return Err(EngineError::Standby {
                command,
                target: self.target.clone(),
            });
        }
        Ok(())
    }

    /// Reads the history (empty when the table does not exist), squashed migrations folded.
    pub async fn history_rows(&self) -> Result<Vec<HistoryRow>, EngineError> {
        let expected: Vec<(i64, &str)> = self
            .project
            .migrations
            .migrations
            .iter()
            .map(|m| (m.version, m.checksum.as_str()))
            .collect();
        let rows = self
            .history
            .load(&self.client, &expected)
            .await
            .map_err(EngineError::db("reading the history table"))?;
        // A database that ran the migrations a squash replaced holds the squash.
        Ok(crate::history::fold_squashes(
            &self.project.migrations.migrations,
            rows,
        ))
    }

    /// Takes the writer lock, sets the migration timeouts and makes sure the history table
    /// exists.
    pub async fn begin_writing(&self, timeouts: &Timeouts) -> Result<WriterLock, EngineError> {
        let lock = WriterLock::acquire(
            &self.client,
            &self.history,
            self.project.config.settings.lock_mode,
            timeouts.lock_wait,
        )
        .await?;
        self.client
            .batch_execute(&format!(
                "SET lock_timeout = {}; SET statement_timeout = {};",
                timeouts.ddl_lock.as_millis(),
                timeouts.statement.as_millis()
            ))
            .await
            .map_err(EngineError::db("setting timeouts"))?;
        self.history
            .ensure(&self.client)
            .await
            .map_err(EngineError::db("creating the history table"))?;
        Ok(lock)
    }

    pub async fn end_writing(&self, lock: WriterLock) {
        let _ = lock.release(&self.client).await;
    }

    /// Runs `sql` as one transaction together with `history_sql`, in one round trip.
    /// On error the transaction is rolled back and the failure located in `file`: at the
    /// server's error position when it gives one, else at the start of the statement that
    /// failed (counted from the statements the server reported complete).
    pub(crate) async fn run_in_transaction(
        &self,
        m: &Migration,
        script: ScriptRef<'_>,
        history_sql: &str,
    ) -> Result<(), MigrationFailure> {
        self.run_script(m, script, history_sql, true).await
    }

    /// [`Session::run_in_transaction`], retried from its start while it gives up on a lock
    /// (`lock_not_available`: the transaction rolled back, nothing took effect) and the
    /// retry policy allows, each wait and retry told to `progress`; `watch` names the
    /// sessions it waited for.
    pub(crate) async fn run_in_transaction_retrying(
        &self,
        m: &Migration,
        script: ScriptRef<'_>,
        history_sql: &str,
        retry: &Retry<'_>,
        watch: &mut Watch,
        progress: &mut dyn Progress,
    ) -> Result<(), MigrationFailure> {
        let mut backoff = Backoff::new(retry.timeouts.ddl_retry);
        loop {
            let result = watch
                .during(self.run_in_transaction(m, script, history_sql))
                .await;
            match result {
                Err(mut failure) if failure.is_lock_timeout() => {
                    match retry.after_lock_timeout(
                        &mut backoff,
                        watch,
                        &mut failure,
                        retry.outcome,
                        progress,
                    ) {
                        Some(pause) => {
                            tokio::time::sleep(pause).await;
                            retry.lock.renew(&self.client).await;
                        }
                        None => return Err(failure),
                    }
                }
                other => return other,
            }
        }
    }

    /// Like [`Session::run_in_transaction`], inside a transaction the caller opened
    /// (`apply --single-transaction`): no BEGIN/COMMIT of its own, and on error the whole
    /// outer transaction is rolled back.
    pub(crate) async fn run_in_open_transaction(
        &self,
        m: &Migration,
        script: ScriptRef<'_>,
        history_sql: &str,
    ) -> Result<(), MigrationFailure> {
        self.run_script(m, script, history_sql, false).await
    }

    async fn run_script(
        &self,
        m: &Migration,
        script: ScriptRef<'_>,
        history_sql: &str,
        own_transaction: bool,
    ) -> Result<(), MigrationFailure> {
        use futures_util::TryStreamExt;
        let (prefix, suffix) = if own_transaction {
            ("BEGIN;\n", "\nCOMMIT;")
        } else {
            ("", "")
        };
        let batch = format!("{prefix}{}\n;\n{history_sql};{suffix}", script.sql);
        let mut completed = 0usize;
        let result = async {
            let stream = self.client.simple_query_raw(&batch).await?;
            futures_util::pin_mut!(stream);
            while let Some(message) = stream.try_next().await? {
                if let tokio_postgres::SimpleQueryMessage::CommandComplete(_) = message {
                    completed += 1;
                }
            }
            Ok::<(), tokio_postgres::Error>(())
        }
        .await;
        let Err(e) = result else {
            return Ok(());
        };
        let _ = self.client.batch_execute("ROLLBACK").await;
        // With our own transaction the first completion is BEGIN; the failing statement is
        // the next one.
        let offset = completed
            .checked_sub(usize::from(own_transaction))
            .and_then(|k| script.statements.get(k))
            .map(|s| s.offset)
            .unwrap_or(0);
        let mut failure = describe_failure(
            &e,
            m,
            script.path,
            script.sql,
            Sent::Script {
                prefix_chars: prefix.chars().count(),
                failed_at: offset,
            },
        );
        failure.state = if own_transaction {
            "the transaction was rolled back: nothing of this migration took effect and nothing was recorded"
        } else {
            "the run was one transaction (--single-transaction) and it was rolled back: no migration of this run took effect and nothing was recorded"
        }
        .into();
        Err(failure)
    }
}

/// What retrying a migration needs: the timeouts (lock timeout and retry policy) and the
/// writer lock, renewed between attempts.
pub(crate) struct Retry<'a> {
    pub timeouts: &'a Timeouts,
    pub lock: &'a crate::lock::WriterLock,
    /// What a migration that gave up means for the command ("the migration was not
    /// applied").
    pub outcome: &'a str,
}

impl Retry<'_> {
    /// After an attempt of `failure`'s migration gave up on a lock: the pause before the
    /// next attempt (told to `progress`), or `None` when the retries or the time are spent
    /// (then `failure` names the blockers and says the migration was not applied).
    pub fn after_lock_timeout(
        &self,
        backoff: &mut Backoff,
        watch: &Watch,
        failure: &mut MigrationFailure,
        outcome: &str,
        progress: &mut dyn Progress,
    ) -> Option<Duration> {
        let t = self.timeouts;
        match backoff.next_pause() {
            Some(pause) => {
                progress.note(&format!(
                    "{}: a lock was not granted within ddl_lock_timeout {} (waiting for {}); it was rolled back, retry {} of {} in {:.1}s",
                    failure.migration,
                    humantime::format_duration(t.ddl_lock),
                    super::lockwait::blockers_text(&watch.seen),
                    backoff.retries(),
                    t.ddl_retry.retries,
                    pause.as_secs_f64()
                ));
                Some(pause)
            }
            None => {
                failure.blockers = watch.seen.clone();
                failure.state = format!(
                    "gave up waiting for locks after {} attempt{} over {:.1}s (ddl_lock_timeout {}, ddl_lock_retries {}, ddl_lock_budget {}): {outcome}; {}",
                    backoff.retries() + 1,
                    if backoff.retries() == 0 { "" } else { "s" },
                    backoff.elapsed().as_secs_f64(),
                    humantime::format_duration(t.ddl_lock),
                    t.ddl_retry.retries,
                    humantime::format_duration(t.ddl_retry.budget),
                    failure.state
                );
                None
            }
        }
    }
}

/// One script of a migration, as the session runs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScriptRef<'m> {
    pub path: &'m str,
    pub sql: &'m str,
    pub statements: &'m [Statement],
}

impl<'m> ScriptRef<'m> {
    pub fn up(m: &'m Migration) -> ScriptRef<'m> {
        ScriptRef {
            path: &m.up_path,
            sql: &m.up_sql,
            statements: &m.up_statements,
        }
    }

    pub fn down(m: &'m Migration) -> ScriptRef<'m> {
        ScriptRef {
            path: &m.down_path,
            sql: &m.down_sql,
            statements: &m.down_statements,
        }
    }
}
