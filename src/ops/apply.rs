//! `apply`: verify checksums, then run pending migrations in version order, each in its own
//! transaction with its history row (or statement by statement for `no-transaction`
//! migrations, recording progress so a failure can be resumed). A failure keeps what this
//! run applied before it ([`ApplyError`]).

use std::time::Instant;

use serde::Serialize;

use super::error::{describe_failure, invalid_index_advice, invalid_indexes, Sent};
use super::lockwait::{Backoff, Watch};
use super::plan::{plan_apply, ApplyOptions, ApplyPlan, Step};
use super::session::{Retry, ScriptRef};
use super::status::{compute, StatusReport};
use super::{EngineError, MigrationFailure, Progress, Session, Timeouts};
use crate::history::HistoryRow;
use crate::migration::Migration;

/// One migration this run applied.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    pub version: i64,
    pub phase: String,
    pub name: String,
    pub execution_ms: u64,
    pub no_transaction: bool,
    /// For a resumed non-transactional migration: the statement it resumed at (1-based).
    pub resumed_at_statement: Option<usize>,
}

impl Applied {
    fn of(m: &Migration, execution_ms: u64, resumed_at_statement: Option<usize>) -> Applied {
        Applied {
            version: m.version,
            phase: m.phase.clone(),
            name: m.name.clone(),
            execution_ms,
            no_transaction: m.no_transaction,
            resumed_at_statement,
        }
    }
}

/// The result of `apply`.
#[derive(Debug, Clone, Serialize)]
pub struct ApplyReport {
    pub dry_run: bool,
    pub applied: Vec<Applied>,
    /// With `--dry-run`: the SQL that would run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    pub total_ms: u64,
    /// The status after the run.
    pub status: StatusReport,
    /// Lint findings of the migrations it was about to run (`lint = "warn"`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lint: Vec<crate::lint::Finding>,
}

/// What stopped an apply halted by its fleet (in place of a signal's name).
pub const HALTED: &str = "the fleet (another target failed and on_error is stop)";

/// A failed apply: what went wrong, and the migrations this run applied before it (they
/// stay applied). With `--single-transaction` nothing stays, and `applied` is empty.
#[derive(Debug)]
pub struct ApplyError {
    pub kind: EngineError,
    pub applied: Vec<Applied>,
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for ApplyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
    }
}

impl From<EngineError> for ApplyError {
    fn from(kind: EngineError) -> ApplyError {
        ApplyError {
            kind,
            applied: Vec::new(),
        }
    }
}

impl From<ApplyError> for EngineError {
    fn from(e: ApplyError) -> EngineError {
        e.kind
    }
}

/// Applies pending migrations.
pub async fn apply(
    session: &Session<'_>,
    options: &ApplyOptions,
    timeouts: &Timeouts,
    progress: &mut dyn Progress,
) -> Result<ApplyReport, ApplyError> {
    let started = Instant::now();
    // Bad options are refused before anything is read or written.
    plan_apply(session.project, &[], options)?;
    // Both at once (pipelined on the connection); a standby is refused before anything else.
    let (primary, history) = tokio::join!(session.require_primary("apply"), session.history_rows());
    primary?;
    let history = history?;
    if options.dry_run {
        let plan = plan_apply(session.project, &history, options)?;
        return Ok(ApplyReport {
            dry_run: true,
            applied: plan
                .steps
                .iter()
                .map(|s| Applied::of(s.migration, 0, None))
                .collect(),
            sql: Some(dry_run_sql(session, &plan).await?),
            total_ms: started.elapsed().as_millis() as u64,
            status: compute(session.project, &history, &session.target),
            lint: lint_gate(session, &plan, options)?,
        });
    }
    // Up to date (what CI finds on most runs): answered from one read of the history,
    // without the lock or any write. Anything else is planned again under the lock.
    let plan = planned(session, &history, options).await?;
    if plan.up_to_date(&history) {
        return Ok(nothing_to_do(session, &history, started));
    }
    // The static lint of what is about to run: before the lock, and nothing runs when
    // `lint = "deny"` refuses.
    let lint = lint_gate(session, &plan, options)?;
    let lock = session.begin_writing(timeouts).await?;
    let retry = Retry {
        timeouts,
        lock: &lock,
        outcome: "the migration was not applied",
    };
    let result = apply_locked(session, options, progress, &retry).await;
    // The history is re-read under the lock so the status reflects this run exactly.
    let history = session.history_rows().await;
    session.end_writing(lock).await;
    let applied = result?;
    let history = history?;
    Ok(ApplyReport {
        dry_run: false,
        applied,
        sql: None,
        total_ms: started.elapsed().as_millis() as u64,
        status: compute(session.project, &history, &session.target),
        lint,
    })
}

/// The answer of an apply with nothing to do (what CI finds on most runs), from one read
/// of the history: `None` when something would run or with `--dry-run`. It needs only the
/// migrations' versions and checksums, so it runs on a project loaded from the checksum
/// cache; anything else is [`apply`]'s, on the scripts read in full.
pub async fn no_op(
    session: &Session<'_>,
    options: &ApplyOptions,
) -> Result<Option<ApplyReport>, ApplyError> {
    let started = Instant::now();
    if options.dry_run {
        return Ok(None);
    }
    plan_apply(session.project, &[], options)?;
    let (primary, history) = tokio::join!(session.require_primary("apply"), session.history_rows());
    primary?;
    let history = history?;
    let plan = planned(session, &history, options).await?;
    Ok(plan
        .up_to_date(&history)
        .then(|| nothing_to_do(session, &history, started)))
}

/// The report of an apply that found nothing to run.
fn nothing_to_do(session: &Session<'_>, history: &[HistoryRow], started: Instant) -> ApplyReport {
    ApplyReport {
        dry_run: false,
        applied: Vec::new(),
        sql: None,
        total_ms: started.elapsed().as_millis() as u64,
        status: compute(session.project, history, &session.target),
        lint: Vec::new(),
    }
}

/// The static lint of the migrations a plan runs: refused with `lint = "deny"` when a
/// finding is an error; the findings otherwise (for the report).
fn lint_gate(
    session: &Session<'_>,
    plan: &ApplyPlan<'_>,
    options: &ApplyOptions,
) -> Result<Vec<crate::lint::Finding>, EngineError> {
    use crate::lint::LintGate;
    let gate = match options.lint {
        None | Some(LintGate::Off) => return Ok(Vec::new()),
        Some(gate) => gate,
    };
    if plan.steps.is_empty() {
        return Ok(Vec::new());
    }
    let pending: Vec<&Migration> = plan.steps.iter().map(|s| s.migration).collect();
    let report = match &options.lint_memo {
        Some(memo) => memo.gate(session.project, &pending),
        None => crate::lint::sources::gate(session.project, &pending),
    };
    if gate == LintGate::Deny && report.has_errors() {
        return Err(EngineError::LintDenied(Box::new(report)));
    }
    Ok(report.findings)
}

/// [`plan_apply`], with the invalid indexes a partial run left named from the database.
async fn planned<'a>(
    session: &Session<'a>,
    history: &[HistoryRow],
    options: &ApplyOptions,
) -> Result<ApplyPlan<'a>, EngineError> {
    match plan_apply(session.project, history, options) {
        Err(EngineError::Partial(mut state)) => {
            state.invalid_indexes = invalid_indexes(&session.client).await;
            Err(EngineError::Partial(state))
        }
        other => other,
    }
}

async fn apply_locked(
    session: &Session<'_>,
    options: &ApplyOptions,
    progress: &mut dyn Progress,
    retry: &Retry<'_>,
) -> Result<Vec<Applied>, ApplyError> {
    // Read the history only now, under the lock: a concurrent run that held the lock before
    // us has recorded its work, and we find nothing left to do.
    let history = session.history_rows().await?;
    let plan = planned(session, &history, options).await?;
    let mut watch = Watch::new(&session.client, &session.params, retry.timeouts.ddl_lock).await;
    if options.single_transaction {
        // A lock not granted rolls the whole run back: it is retried from its start.
        let mut backoff = Backoff::new(retry.timeouts.ddl_retry);
        loop {
            let result = watch
                .during(apply_single_transaction(session, &plan.steps, progress))
                .await;
            let pause = match result {
                Err(ApplyError {
                    kind: EngineError::MigrationFailed(mut failure),
                    applied,
                }) if failure.is_lock_timeout() => {
                    match retry.after_lock_timeout(
                        &mut backoff,
                        &watch,
                        &mut failure,
                        "no migration of this run was applied",
                        progress,
                    ) {
                        Some(pause) => pause,
                        None => {
                            return Err(ApplyError {
                                kind: EngineError::MigrationFailed(failure),
                                applied,
                            })
                        }
                    }
                }
                other => return other,
            };
            tokio::time::sleep(pause).await;
            retry.lock.renew(&session.client).await;
        }
    }
    let lock = retry.lock;
    let mut applied: Vec<Applied> = Vec::new();
    progress.start(plan.steps.len(), "applying");
    for Step {
        migration: m,
        resume_from,
    } in plan.steps
    {
        let halted = options
            .halt
            .as_ref()
            .is_some_and(|h| h.load(std::sync::atomic::Ordering::SeqCst))
            .then_some(HALTED);
        if let Some(signal) = crate::interrupt::raised().or(halted) {
            progress.finish();
            let versions = applied.iter().map(|a| a.version).collect();
            return Err(ApplyError {
                kind: EngineError::Interrupted {
                    signal,
                    applied: versions,
                },
                applied,
            });
        }
        progress.begin(m);
        let t0 = Instant::now();
        let outcome = if m.no_transaction {
            if resume_from > 0 {
                progress.note(&format!(
                    "resuming {} at statement {} (statements 1 to {} already ran)",
                    m.label(),
                    resume_from + 1,
                    resume_from
                ));
            }
            run_no_transaction(session, m, resume_from, retry, &mut watch, progress)
                .await
                .map(|()| (resume_from > 0).then_some(resume_from + 1))
        } else {
            let history_sql = session.history.insert_applied_sql(m);
            session
                .run_in_transaction_retrying(
                    m,
                    ScriptRef::up(m),
                    &history_sql,
                    retry,
                    &mut watch,
                    progress,
                )
                .await
                .map(|()| None)
        };
        match outcome {
            Ok(resumed_at_statement) => {
                lock.renew(&session.client).await;
                let ms = t0.elapsed().as_millis() as u64;
                progress.done(m, ms);
                applied.push(Applied::of(m, ms, resumed_at_statement));
            }
            Err(mut failure) => {
                progress.finish();
                failure.applied_before = applied.iter().map(|a| a.version).collect();
                return Err(ApplyError {
                    kind: EngineError::MigrationFailed(Box::new(failure)),
                    applied,
                });
            }
        }
    }
    progress.finish();
    Ok(applied)
}

/// `--single-transaction`: every pending migration and its history row in one transaction,
/// one round trip per migration; any failure rolls back the whole run. The table lease (if
/// the project uses one) is renewed only once the run commits.
async fn apply_single_transaction(
    session: &Session<'_>,
    steps: &[Step<'_>],
    progress: &mut dyn Progress,
) -> Result<Vec<Applied>, ApplyError> {
    if steps.is_empty() {
        return Ok(Vec::new());
    }
    session
        .client
        .batch_execute("BEGIN")
        .await
        .map_err(EngineError::db("starting the transaction"))?;
    let mut applied: Vec<Applied> = Vec::new();
    progress.start(steps.len(), "applying");
    for step in steps {
        let m = step.migration;
        progress.begin(m);
        let t0 = Instant::now();
        let history_sql = session.history.insert_applied_sql(m);
        if let Err(failure) = session
            .run_in_open_transaction(m, ScriptRef::up(m), &history_sql)
            .await
        {
            progress.finish();
            return Err(EngineError::MigrationFailed(Box::new(failure)).into());
        }
        let ms = t0.elapsed().as_millis() as u64;
        progress.done(m, ms);
        applied.push(Applied::of(m, ms, None));
    }
    progress.finish();
    if let Err(e) = session.client.batch_execute("COMMIT").await {
        let _ = session.client.batch_execute("ROLLBACK").await;
        return Err(EngineError::db(
            "committing the run (deferred constraints are checked now); it was rolled back, nothing took effect",
        )(e)
        .into());
    }
    Ok(applied)
}

/// Runs a non-transactional migration statement by statement from `resume_from` (number of
/// statements already done), recording progress after each so a failure or a kill leaves a
/// record of exactly how far it got.
async fn run_no_transaction(
    session: &Session<'_>,
    m: &Migration,
    resume_from: usize,
    retry: &Retry<'_>,
    watch: &mut Watch,
    progress: &mut dyn Progress,
) -> Result<(), MigrationFailure> {
    let statements = &m.up_statements;
    let total = statements.len();
    let t0 = Instant::now();
    let history_failure = |e: tokio_postgres::Error, done: usize| {
        let mut failure = MigrationFailure::new(
            m,
            &m.up_path,
            format!(
                "recording progress in the history table failed: {}",
                crate::conn::describe_pg_error(&e)
            ),
        );
        failure.state = format!("statements 1 to {done} of {total} took effect (not undone)");
        failure
    };
    // Mark it started before the first statement: a kill now leaves a visible record.
    session
        .history
        .record_progress(&session.client, m, resume_from as i32, 0, None, false)
        .await
        .map_err(|e| history_failure(e, resume_from))?;
    for (index, statement) in statements.iter().enumerate().skip(resume_from) {
        // A signal between two statements: stop before the next, as if it had failed.
        let outcome = match crate::interrupt::raised() {
            Some(signal) => Err(Err(signal)),
            None => statement_retrying(session, m, statement, retry, watch, progress)
                .await
                .map_err(Ok),
        };
        if let Err(e) = outcome {
            let mut failure = match e {
                Ok(failure) => failure,
                Err(signal) => {
                    let (line, column) =
                        crate::sql_split::line_col_at_byte(&m.up_sql, statement.offset);
                    let mut failure = MigrationFailure::new(
                        m,
                        &m.up_path,
                        format!("{signal} arrived before this statement ran"),
                    );
                    (failure.line, failure.column) = (Some(line), Some(column));
                    failure
                }
            };
            let short = failure.message.clone();
            let done = index;
            let _ = session
                .history
                .record_progress(
                    &session.client,
                    m,
                    done as i32,
                    t0.elapsed().as_millis() as i64,
                    Some(&short),
                    false,
                )
                .await;
            let invalid = invalid_indexes(&session.client).await;
            let gave_up = if failure.state.is_empty() {
                String::new()
            } else {
                format!("{}; ", failure.state)
            };
            failure.state = format!(
                "{gave_up}this migration runs outside a transaction: statements 1 to {done} of {total} took effect and were NOT undone; statement {} did not complete and nothing after it ran. \
                 The history records it as partial, and apply will not go past it. {}\
                 Fix the cause, then `strata apply --resume` runs statements {} to {total} again; or undo statements 1 to {done} and `strata repair` clears the record so apply starts it over.",
                done + 1,
                invalid_index_advice(&invalid),
                done + 1
            );
            return Err(failure);
        }
        if index + 1 < total {
            session
                .history
                .record_progress(
                    &session.client,
                    m,
                    (index + 1) as i32,
                    t0.elapsed().as_millis() as i64,
                    None,
                    false,
                )
                .await
                .map_err(|e| history_failure(e, index + 1))?;
        }
    }
    session
        .history
        .record_progress(
            &session.client,
            m,
            total as i32,
            t0.elapsed().as_millis() as i64,
            None,
            true,
        )
        .await
        .map_err(|e| history_failure(e, total))?;
    Ok(())
}

/// Runs one statement of a no-transaction migration. A statement that gave up on a lock is
/// retried only when it had no effect: a plain statement failed whole; `CREATE INDEX
/// CONCURRENTLY` (or `REINDEX ... CONCURRENTLY`) leaves an invalid index, dropped before
/// the retry; any other statement that left something behind is not retried.
async fn statement_retrying(
    session: &Session<'_>,
    m: &Migration,
    statement: &crate::sql_split::Statement,
    retry: &Retry<'_>,
    watch: &mut Watch,
    progress: &mut dyn Progress,
) -> Result<(), MigrationFailure> {
    let text = crate::sql_split::strip_cosmetics(&statement.sql).to_uppercase();
    let concurrently = text.contains("CONCURRENTLY");
    let builds_index = concurrently
        && (text.starts_with("CREATE INDEX")
            || text.starts_with("CREATE UNIQUE INDEX")
            || text.starts_with("REINDEX"));
    let mut backoff = Backoff::new(retry.timeouts.ddl_retry);
    // Invalid indexes a failed attempt left, dropped before the next attempt.
    let mut left: Vec<String> = Vec::new();
    loop {
        let result = match drop_left(session, &mut left, progress, m).await {
            Ok(()) => {
                let before = if concurrently {
                    invalid_indexes(&session.client).await
                } else {
                    Vec::new()
                };
                let result = watch
                    .during(session.client.batch_execute(&statement.sql))
                    .await;
                if result.is_err() && builds_index {
                    left = invalid_indexes(&session.client)
                        .await
                        .into_iter()
                        .filter(|i| !before.contains(i))
                        .collect();
                }
                result
            }
            // Dropping what the last attempt left waits for the same locks.
            Err(e) => Err(e),
        };
        let Err(e) = result else {
            return Ok(());
        };
        let mut failure = describe_failure(
            &e,
            m,
            &m.up_path,
            &m.up_sql,
            Sent::Statement {
                offset: statement.offset,
            },
        );
        if !failure.is_lock_timeout() {
            return Err(failure);
        }
        if concurrently && !builds_index {
            failure.state =
                "it was not retried: a concurrent operation that fails may leave work behind"
                    .into();
            return Err(failure);
        }
        match retry.after_lock_timeout(
            &mut backoff,
            watch,
            &mut failure,
            "this statement did not take effect",
            progress,
        ) {
            Some(pause) => {
                tokio::time::sleep(pause).await;
                retry.lock.renew(&session.client).await;
            }
            None => return Err(failure),
        }
    }
}

/// Drops the invalid indexes a failed concurrent build left (`DROP INDEX CONCURRENTLY`,
/// which waits for the same transactions the build waited for); each dropped leaves `left`.
async fn drop_left(
    session: &Session<'_>,
    left: &mut Vec<String>,
    progress: &mut dyn Progress,
    m: &Migration,
) -> Result<(), tokio_postgres::Error> {
    while let Some(index) = left.first() {
        session
            .client
            .batch_execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {index}"))
            .await?;
        progress.note(&format!(
            "{}: dropped the invalid index {index} a failed attempt left, before retrying",
            m.label()
        ));
        left.remove(0);
    }
    Ok(())
}

/// The SQL a dry run shows: what strata would send, runnable by psql.
async fn dry_run_sql(session: &Session<'_>, plan: &ApplyPlan<'_>) -> Result<String, EngineError> {
    let mut sql = String::new();
    if !plan.steps.is_empty()
        && !session
            .history
            .exists(&session.client)
            .await
            .map_err(EngineError::db("reading the history table"))?
    {
        sql.push_str("-- strata: the history table\n");
        sql.push_str(&session.history.create_sql());
        sql.push_str("\n\n");
    }
    for step in &plan.steps {
        sql.push_str(&dry_run_text(session, step));
    }
    Ok(sql)
}

/// The SQL a dry run shows for one migration.
fn dry_run_text(session: &Session<'_>, step: &Step<'_>) -> String {
    let m = step.migration;
    let mut out = format!("-- strata: {} ({})\n", m.label(), m.up_path);
    if m.no_transaction {
        out.push_str("-- runs outside a transaction, one statement at a time\n");
        for s in m.up_statements.iter().skip(step.resume_from) {
            out.push_str(&s.sql);
            out.push_str(";\n");
        }
    } else {
        out.push_str("BEGIN;\n");
        out.push_str(m.up_sql.trim_end());
        out.push_str(if ends_with_semicolon(&m.up_sql) {
            "\n"
        } else {
            "\n;\n"
        });
        out.push_str(&session.history.insert_applied_sql(m));
        out.push_str(";\nCOMMIT;\n");
    }
    out.push('\n');
    out
}

/// True when the script's last statement is terminated by a semicolon.
pub(crate) fn ends_with_semicolon(sql: &str) -> bool {
    crate::sql_split::strip_cosmetics(sql)
        .trim_end()
        .ends_with(';')
}
