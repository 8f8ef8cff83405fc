//! What can go wrong in the engine, typed: each variant keeps its cause (the driver's
//! error as its `source`), and a failed migration keeps where and why it failed and what
//! the run did before it. Wording about command-line flags is the CLI layer's
//! (`render::error`), not the engine's.

use tokio_postgres::error::ErrorPosition;
use tokio_postgres::Client;

use crate::conn::{describe_pg_error, ConnectError};
use crate::lock::LockError;
use crate::migration::Migration;
use crate::sql_split;

/// Errors the engine reports; the CLI maps them to exit codes and messages.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Applied migrations whose files changed since they ran.
    #[error("{}", mismatch_text(.0))]
    ChecksumMismatch(Vec<Mismatch>),
    /// A target version the project does not have.
    #[error("unknown version {0}: no migration of the project has it")]
    UnknownVersion(i64),
    /// A phase number the project does not have.
    #[error("unknown phase {given}: the project has phases 1 to {count}")]
    UnknownPhase { given: u32, count: usize },
    /// A migration's SQL failed.
    #[error("{0}")]
    MigrationFailed(Box<MigrationFailure>),
    /// A migration recorded in the database has no file, so it cannot be rolled back.
    #[error("cannot roll back {version}_{name}: it is recorded in the database but not in the project, so there is no down script")]
    NoDownScript { version: i64, name: String },
    /// Confirmation could not be had (no terminal, or the answer could not be read).
    #[error(transparent)]
    Refused(#[from] Refused),
    /// The user answered no.
    #[error("cancelled; nothing was rolled back")]
    Cancelled,
    /// A non-transactional migration stopped part-way; apply will not go past it unasked.
    #[error("{}", partial_text(.0))]
    Partial(Box<PartialState>),
    /// A run that must be one transaction includes a migration that cannot run in one.
    #[error("cannot apply {0} in one transaction with the others: it is marked `-- strata:no-transaction`")]
    NotTransactional(String),
    /// A signal stopped the run between two migrations.
    #[error("stopped by {signal} before the next migration began{}", applied_text(.applied))]
    Interrupted {
        signal: &'static str,
        applied: Vec<i64>,
    },
    /// A writing command was pointed at a standby (a server in recovery).
    #[error("refusing to {command}: {target} is a standby (a server in recovery, read-only); point strata at the primary (with several hosts, add target_session_attrs=read-write)")]
    Standby {
        command: &'static str,
        target: String,
    },
    /// The writer lock could not be taken.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// A database call outside migration SQL failed.
    #[error("{context}: {}", describe_pg_error(.source))]
    Db {
        context: String,
        #[source]
        source: tokio_postgres::Error,
    },
    /// A connection the engine opens itself (scratch databases) failed.
    #[error("{context}: {source}")]
    Connect {
        context: String,
        #[source]
        source: ConnectError,
    },
    /// `baseline` was asked to adopt a database below a version already recorded.
    #[error("baseline: version {recorded} is already recorded, newer than {to}: baseline only adopts a database below what strata has applied")]
    NewerRecorded { recorded: i64, to: i64 },
    /// A migration `lint --trace` ran failed on the scratch database.
    #[error("{file} failed on the scratch database: {message}")]
    TraceFailed { file: String, message: String },
    /// `lint = "deny"` and the lint of the migrations about to run found errors.
    #[error("{}", lint_denied_text(.0))]
    LintDenied(Box<crate::lint::LintReport>),
    /// Every read of the catalog ran into DDL running at the same time.
    #[error("DDL ran concurrently with the catalog read: {attempts} reads each found objects changed or dropped under them (the last: {last}); run again once the schema changes are done")]
    ConcurrentDdl { attempts: u32, last: String },
    /// A schema could not be read from the catalog.
    #[error(transparent)]
    Introspect(#[from] crate::introspect::IntrospectError),
    /// No server would take a scratch database for the migrations (each refusal listed).
    #[error("cannot create a scratch database to apply the migrations to ({0})")]
    Scratch(String),
    /// The snapshot file is missing or unreadable.
    #[error("snapshot: {0}")]
    Snapshot(String),
    /// A file given on the command line could not be read or written.
    #[error("{doing}: {message}")]
    File { doing: String, message: String },
    /// The database lacks objects the migrations up to `to` make (nothing was recorded).
    #[error("refusing to baseline: the database does not have everything migrations up to {to} make; {} difference(s): {}", .missing.len(), difference_list(.missing))]
    Incomplete {
        to: i64,
        missing: Vec<crate::diff::Difference>,
    },
}

fn difference_list(list: &[crate::diff::Difference]) -> String {
    list.iter()
        .map(|d| format!("{} {} ({})", d.kind.as_str(), d.name, d.change.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl EngineError {
    /// Wraps a driver error with what the engine was doing.
    pub fn db(context: impl Into<String>) -> impl FnOnce(tokio_postgres::Error) -> EngineError {
        let context = context.into();
        move |source| EngineError::Db { context, source }
    }

    /// A file that could not be read or written, with what was being done.
    pub fn file(doing: String, e: impl std::fmt::Display) -> EngineError {
        EngineError::File {
            doing,
            message: e.to_string(),
        }
    }

    /// Wraps a connection error with what the engine was connecting for.
    pub fn connect(context: impl Into<String>) -> impl FnOnce(ConnectError) -> EngineError {
        let context = context.into();
        move |source| EngineError::Connect { context, source }
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

fn applied_text(applied: &[i64]) -> String {
    if applied.is_empty() {
        return "; this run applied nothing".into();
    }
    let list: Vec<String> = applied.iter().map(|v| v.to_string()).collect();
    format!("; applied by this run (kept): {}", list.join(", "))
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
        .query_typed(
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
    /// The server's SQLSTATE, when the server raised the error.
    #[serde(skip)]
    pub sqlstate: Option<String>,
    /// The sessions that held the locks the migration waited for, when it gave up on one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blockers: Vec<super::lockwait::Blocker>,
}

impl MigrationFailure {
    /// A failure of `migration`'s script `file` with `message`, not yet located.
    pub(crate) fn new(migration: &Migration, file: &str, message: String) -> MigrationFailure {
        MigrationFailure {
            migration: migration.label(),
            file: file.to_string(),
            line: None,
            column: None,
            message,
            detail: None,
            hint: None,
            context: None,
            state: String::new(),
            applied_before: Vec::new(),
            sqlstate: None,
            blockers: Vec::new(),
        }
    }

    /// True when the statement gave up waiting for a lock (`lock_timeout`).
    pub fn is_lock_timeout(&self) -> bool {
        self.sqlstate.as_deref() == Some(super::lockwait::LOCK_NOT_AVAILABLE)
    }
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
        if self.is_lock_timeout() {
            write!(
                f,
                "\n  blocked by: {}",
                super::lockwait::blockers_text(&self.blockers)
            )?;
        }
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
    let mut failure = MigrationFailure::new(migration, file, describe_pg_error(e));
    if let Some(db) = e.as_db_error() {
        failure.message = format!("{}: {}", db.severity(), db.message());
        failure.sqlstate = Some(db.code().code().to_string());
        failure.detail = db.detail().map(str::to_string);
        failure.hint = db.hint().map(str::to_string);
        failure.context = db.where_().map(str::to_string);
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
        failure.line = Some(l);
        failure.column = Some(c);
    }
    failure
}

/// Why a confirmation could not be had; the text is the CLI's (it names the flag to pass).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

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
