//! The engine behind the commands. Each operation takes a connected [`Session`], does its
//! work and returns a value describing what happened; it prints nothing (progress goes
//! through the [`Progress`] trait, chosen by the caller).

pub mod apply;
pub mod baseline;
pub mod diff;
pub mod repair;
pub mod rollback;
pub mod shadow;
pub mod snapshot;
pub mod status;
pub mod verify;

use std::time::Duration;

use tokio_postgres::error::ErrorPosition;
use tokio_postgres::Client;

use crate::history::{History, HistoryRow};
use crate::lock::{LockError, WriterLock};
use crate::migration::Migration;
use crate::project::Project;
use crate::sql_split;

/// Errors the engine reports; the command layer maps them to exit codes and messages.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Applied migrations whose files changed since they ran.
    #[error("{}", mismatch_text(.0))]
    ChecksumMismatch(Vec<Mismatch>),
    /// `--to` names a version the project does not have.
    #[error("unknown version {0}: no migration of the project has it")]
    UnknownVersion(i64),
    /// `--phase` names a phase the project does not have.
    #[error("unknown phase {given}: the project has phases 1 to {count}")]
    UnknownPhase { given: u32, count: usize },
    /// A migration's SQL failed.
    #[error("{0}")]
    MigrationFailed(Box<MigrationFailure>),
    /// A migration recorded in the database has no file, so it cannot be rolled back.
    #[error("cannot roll back {version}_{name}: it is recorded in the database but not in the project, so there is no down script")]
    NoDownScript { version: i64, name: String },
    /// A rollback that drops data was not confirmed.
    #[error("rollback drops data: pass --yes to confirm (no terminal to ask on)")]
    NeedsConfirmation,
    /// A command that changes the history was not confirmed.
    #[error("{0} changes the history: pass --yes to confirm (no terminal to ask on)")]
    NeedsConfirmationFor(String),
    /// The user answered no.
    #[error("cancelled; nothing was rolled back")]
    Cancelled,
    /// A non-transactional migration stopped part-way; apply will not go past it unasked.
    #[error("{}", partial_text(.0))]
    Partial(Box<PartialState>),
    /// `apply --single-transaction` was asked to run a migration that cannot run in a
    /// transaction.
    #[error("--single-transaction cannot apply {0}: it is marked `-- strata:no-transaction`; apply up to the version before it (--to), then apply it on its own")]
    NotTransactional(String),
    /// The writer lock could not be taken.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// A database call outside migration SQL failed.
    #[error("{context}: {message}")]
    Db { context: String, message: String },
    /// A schema could not be read from the catalog.
    #[error(transparent)]
    Introspect(#[from] crate::introspect::IntrospectError),
    /// No server would take a scratch database for the migrations.
    #[error("cannot create a scratch database to apply the migrations to ({0}); pass --shadow-url URL of a server where the role may create databases, or compare with the project's snapshot (--snapshot)")]
    Scratch(String),
    /// The snapshot file is missing or unreadable.
    #[error("snapshot: {0}")]
    Snapshot(String),
    /// `lint = "deny"` and the lint of the pending migrations found errors.
    #[error("{}", lint_denied_text(.0))]
    LintDenied(Box<crate::lint::LintReport>),
}

fn lint_denied_text(report: &crate::lint::LintReport) -> String {
    let errors: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity == crate::lint::Severity::Error)
        .map(|f| {
            format!(
                "{}:{}:{} {} ({})",
                f.file, f.line, f.column, f.rule, f.message
            )
        })
        .collect();
    format!(
        "refusing to apply: lint = \"deny\" and the pending migrations have {} lint error{}: {}; nothing was applied (strata lint explains each; accept one with `-- strata:allow RULE reason`)",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        errors.join("; ")
    )
}

impl EngineError {
    pub fn db(context: impl Into<String>) -> impl FnOnce(tokio_postgres::Error) -> EngineError {
        let context = context.into();
        move |e| EngineError::Db {
            context,
            message: crate::conn::describe_pg_error(&e),
        }
    }
}

/// An applied migration whose file no longer matches what ran.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Mismatch {
    pub version: i64,
    pub file: String,
    pub recorded: String,
    pub current: String,
}

fn mismatch_text(list: &[Mismatch]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|m| {
            format!(
                "{} ({}): recorded checksum {}, file now {}",
                m.version, m.file, m.recorded, m.current
            )
        })
        .collect();
    format!(
        "refusing to apply: {} applied migration{} changed since {} ran: {}; restore the file{} (or roll back before editing)",
        list.len(),
        if list.len() == 1 { "" } else { "s" },
        if list.len() == 1 { "it" } else { "they" },
        items.join("; "),
        if list.len() == 1 { "" } else { "s" },
    )
}

/// A non-transactional migration recorded as stopped part-way.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PartialState {
    pub migration: String,
    pub file: String,
    pub statements_done: i32,
    pub statements: usize,
    pub error: Option<String>,
    /// Indexes left invalid in the database (by a failed CREATE INDEX CONCURRENTLY).
    pub invalid_indexes: Vec<String>,
}

fn partial_text(p: &PartialState) -> String {
    let mut text = format!(
        "refusing to apply: migration {} ({}) ran outside a transaction and stopped after statement {} of {}{}. ",
        p.migration,
        p.file,
        p.statements_done,
        p.statements,
        p.error
            .as_ref()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default()
    );
    text.push_str(&invalid_index_advice(&p.invalid_indexes));
    text.push_str(&format!(
        "Fix the cause, then either `strata apply --resume` to run statements {} to {} again, or undo statements 1 to {} and `strata repair` to clear the record so apply starts it over",
        p.statements_done + 1,
        p.statements,
        p.statements_done
    ));
    text
}

/// Names each invalid index with the command that drops it.
pub(crate) fn invalid_index_advice(indexes: &[String]) -> String {
    if indexes.is_empty() {
        return String::new();
    }
    let drops: Vec<String> = indexes
        .iter()
        .map(|i| format!("DROP INDEX CONCURRENTLY {i};"))
        .collect();
    format!(
        "Left INVALID: {} (drop with: {}). ",
        indexes.join(", "),
        drops.join(" ")
    )
}

/// Indexes of the database that are invalid (a failed CREATE INDEX CONCURRENTLY leaves one).
pub(crate) async fn invalid_indexes(client: &Client) -> Vec<String> {
    client
        .query(
            "SELECT i.indexrelid::regclass::text FROM pg_catalog.pg_index i
             JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             ORDER BY 1",
            &[],
        )
        .await
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .unwrap_or_default()
}

/// Where and why a migration failed, and what that left behind.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MigrationFailure {
    pub migration: String,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    pub context: Option<String>,
    /// What the failure left: rolled back, or the statements that took effect.
    pub state: String,
    /// Migrations this run applied before the failure.
    pub applied_before: Vec<i64>,
}

impl std::fmt::Display for MigrationFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "migration {} failed at {}", self.migration, self.file)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(d) = &self.detail {
            write!(f, "\n  detail: {d}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        if let Some(c) = &self.context {
            write!(f, "\n  context: {}", c.replace('\n', "\n           "))?;
        }
        write!(f, "\n  {}", self.state)?;
        if !self.applied_before.is_empty() {
            let list: Vec<String> = self.applied_before.iter().map(|v| v.to_string()).collect();
            write!(
                f,
                "\n  applied before the failure (kept): {}",
                list.join(", ")
            )?;
        }
        Ok(())
    }
}

/// What was sent to the server when a migration statement failed, so the server's error
/// position can be mapped back to the file.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sent {
    /// The whole file after `prefix_chars` characters of wrapper; `failed_at` is the byte
    /// offset of the statement that failed, for errors without a position.
    Script {
        prefix_chars: usize,
        failed_at: usize,
    },
    /// One statement, starting at byte `offset` of the file.
    Statement { offset: usize },
}

/// Builds a failure description from a server error, located in the file.
pub(crate) fn describe_failure(
    e: &tokio_postgres::Error,
    migration: &Migration,
    file: &str,
    file_text: &str,
    sent: Sent,
) -> MigrationFailure {
    let (mut line, mut column) = (None, None);
    let mut message = crate::conn::describe_pg_error(e);
    let (mut detail, mut hint, mut context) = (None, None, None);
    if let Some(db) = e.as_db_error() {
        message = format!("{}: {}", db.severity(), db.message());
        detail = db.detail().map(str::to_string);
        hint = db.hint().map(str::to_string);
        context = db.where_().map(str::to_string);
        let position = match db.position() {
            Some(ErrorPosition::Original(p)) => Some(*p as usize),
            _ => None,
        };
        // The server's position counts characters from the start of what was sent.
        let (l, c) = match (sent, position) {
            (Sent::Script { prefix_chars, .. }, Some(p)) if p > prefix_chars => {
                sql_split::line_col(file_text, p - prefix_chars)
            }
            (Sent::Script { failed_at, .. }, _) => {
                sql_split::line_col_at_byte(file_text, failed_at)
            }
            (Sent::Statement { offset }, Some(p)) if p >= 1 => {
                let base = file_text[..offset.min(file_text.len())].chars().count();
                sql_split::line_col(file_text, base + p)
            }
            (Sent::Statement { offset }, _) => sql_split::line_col_at_byte(file_text, offset),
        };
        line = Some(l);
        column = Some(c);
    }
    MigrationFailure {
        migration: migration.label(),
        file: file.to_string(),
        line,
        column,
        message,
        detail,
        hint,
        context,
        state: String::new(),
        applied_before: Vec::new(),
    }
}

/// Callbacks for long operations; the renderer decides how to show them.
pub trait Progress {
    fn start(&mut self, _total: usize, _verb: &str) {}
    fn begin(&mut self, _m: &Migration) {}
    fn done(&mut self, _m: &Migration, _ms: u64) {}
    fn note(&mut self, _text: &str) {}
    fn finish(&mut self) {}
}

/// Shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Timeouts applied to writing sessions.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// How long to wait for strata's own lock.
    pub lock_wait: Duration,
    /// PostgreSQL `lock_timeout` while migrations run (zero = none).
    pub ddl_lock: Duration,
    /// PostgreSQL `statement_timeout` while migrations run (zero = none).
    pub statement: Duration,
}

/// A connected session on one database for one project.
pub struct Session<'p> {
    pub client: Client,
    pub project: &'p Project,
    pub history: History,
    /// The target, without password, for reports.
    pub target: String,
}

impl<'p> Session<'p> {
    pub fn new(client: Client, project: &'p Project, target: String) -> Session<'p> {
        let s = &project.config.settings;
        Session {
            client,
            project,
            history: History::new(&s.history_schema, &s.history_table),
            target,
        }
    }

    /// Reads the history (empty when the table does not exist).
    pub async fn history_rows(&self) -> Result<Vec<HistoryRow>, EngineError> {
        self.history
            .load(&self.client)
            .await
            .map_err(EngineError::db("reading the history table"))
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
        file: &str,
        sql: &str,
        history_sql: &str,
    ) -> Result<(), MigrationFailure> {
        self.run_script(m, file, sql, history_sql, true).await
    }

    /// Like [`Session::run_in_transaction`], inside a transaction the caller opened
    /// (`apply --single-transaction`): no BEGIN/COMMIT of its own, and on error the whole
    /// outer transaction is rolled back.
    pub(crate) async fn run_in_open_transaction(
        &self,
        m: &Migration,
        file: &str,
        sql: &str,
        history_sql: &str,
    ) -> Result<(), MigrationFailure> {
        self.run_script(m, file, sql, history_sql, false).await
    }

    async fn run_script(
        &self,
        m: &Migration,
        file: &str,
        sql: &str,
        history_sql: &str,
        own_transaction: bool,
    ) -> Result<(), MigrationFailure> {
        use futures_util::TryStreamExt;
        let (prefix, suffix) = if own_transaction {
            ("BEGIN;\n", "\nCOMMIT;")
        } else {
            ("", "")
        };
        let batch = format!("{prefix}{sql}\n;\n{history_sql};{suffix}");
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
        match result {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = self.client.batch_execute("ROLLBACK").await;
                // With our own transaction the first completion is BEGIN; the failing
                // statement is the next one.
                let statements = sql_split::split(sql);
                let offset = completed
                    .checked_sub(usize::from(own_transaction))
                    .and_then(|k| statements.get(k))
                    .map(|s| s.offset)
                    .unwrap_or(0);
                let mut failure = describe_failure(
                    &e,
                    m,
                    file,
                    sql,
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
    }
}

/// Finds the migration that a phase number ends with, checking the number.
pub(crate) fn check_phase(project: &Project, phase: u32) -> Result<(), EngineError> {
    if phase == 0 || phase as usize > project.config.phases.len() {
        return Err(EngineError::UnknownPhase {
            given: phase,
            count: project.config.phases.len(),
        });
    }
    Ok(())
}

/// Applied migrations whose file changed (partial ones are resumed, not compared).
pub(crate) fn mismatches(project: &Project, history: &[HistoryRow]) -> Vec<Mismatch> {
    history
        .iter()
        .filter(|row| !row.is_partial())
        .filter_map(|row| {
            let m = project.migrations.get(row.version)?;
            (m.checksum != row.checksum).then(|| Mismatch {
                version: row.version,
                file: m.up_path.clone(),
                recorded: row.checksum.clone(),
                current: m.checksum.clone(),
            })
        })
        .collect()
}
