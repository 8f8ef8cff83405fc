//! `apply`: verify checksums, then run pending migrations in version order, each in its own
//! transaction with its history row (or statement by statement for `no-transaction`
//! migrations, recording progress so a failure can be resumed).

use std::time::Instant;

use serde::Serialize;

use super::status::{compute, StatusReport};
use super::{
    check_phase, describe_failure, mismatches, EngineError, MigrationFailure, Progress, Sent,
    Session, Timeouts,
};
use crate::history::HistoryRow;
use crate::migration::Migration;
use crate::sql_split;

/// What to apply.
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Apply up to and including this version.
    pub to: Option<i64>,
    /// Apply up to the end of this phase (1-based).
    pub phase: Option<u32>,
    /// Print the SQL, change nothing.
    pub dry_run: bool,
    /// Go on with a non-transactional migration that stopped part-way, at the statement
    /// after the last one that completed.
    pub resume: bool,
    /// All pending migrations in one transaction: all or nothing.
    pub single_transaction: bool,
    /// Lint the pending migrations first (off for internal applies, such as the scratch
    /// database's).
    pub lint: crate::lint::LintGate,
}

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

/// The pending migrations `options` selects, in order; partial ones first resume.
fn plan<'a>(
    session: &'a Session<'_>,
    history: &[HistoryRow],
    options: &ApplyOptions,
) -> Result<Vec<&'a Migration>, EngineError> {
    let project = session.project;
    let mut limit = i64::MAX;
    if let Some(to) = options.to {
        if project.migrations.get(to).is_none() {
            return Err(EngineError::UnknownVersion(to));
        }
        limit = limit.min(to);
    }
    if let Some(phase) = options.phase {
        check_phase(project, phase)?;
        let last = (1..=phase)
            .rev()
            .find_map(|p| project.migrations.last_of_phase(p))
            .unwrap_or(0);
        limit = limit.min(last);
    }
    let done: std::collections::BTreeSet<i64> = history
        .iter()
        .filter(|h| !h.is_partial())
        .map(|h| h.version)
        .collect();
    Ok(project
        .migrations
        .migrations
        .iter()
        .filter(|m| m.version <= limit && !done.contains(&m.version))
        .collect())
}

/// Applies pending migrations.
pub async fn apply(
    session: &Session<'_>,
    options: &ApplyOptions,
    timeouts: &Timeouts,
    progress: &mut dyn Progress,
) -> Result<ApplyReport, EngineError> {
    let started = Instant::now();
    if options.dry_run {
        let history = session.history_rows().await?;
        let mismatched = mismatches(session.project, &history);
        if !mismatched.is_empty() {
            return Err(EngineError::ChecksumMismatch(mismatched));
        }
        let pending = plan(session, &history, options)?;
        let mut sql = String::new();
        if !pending.is_empty()
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
        for m in &pending {
            sql.push_str(&dry_run_text(session, m, &history));
        }
        return Ok(ApplyReport {
            dry_run: true,
            applied: pending.iter().map(|m| Applied::of(m, 0, None)).collect(),
            sql: Some(sql),
            total_ms: started.elapsed().as_millis() as u64,
            status: compute(session.project, &history, &session.target),
            lint: lint_gate(session, &pending, options)?,
        });
    }

    // Bad options are refused before anything is written (the history table included).
    plan(session, &[], options)?;
    // Up to date (what CI finds on most runs): answered from one read of the history,
    // without the lock or any write. Anything else is decided again under the lock.
    let history = session.history_rows().await?;
    let pending = plan(session, &history, options)?;
    let lint = lint_gate(session, &pending, options)?;
    if pending.is_empty()
        && !history.is_empty()
        && !history.iter().any(|h| h.is_partial())
        && mismatches(session.project, &history).is_empty()
    {
        return Ok(ApplyReport {
            dry_run: false,
            applied: Vec::new(),
            sql: None,
            total_ms: started.elapsed().as_millis() as u64,
            status: compute(session.project, &history, &session.target),
            lint,
        });
    }
    if options.single_transaction {
        if let Some(m) = pending.iter().find(|m| m.no_transaction) {
            return Err(EngineError::NotTransactional(m.label()));
        }
    }
    let lock = session.begin_writing(timeouts).await?;
    let result = apply_locked(session, options, progress, &lock).await;
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

/// The static lint of the migrations about to run: refused with `deny` when a finding is
/// an error; the findings otherwise (for the report).
fn lint_gate(
    session: &Session<'_>,
    pending: &[&Migration],
    options: &ApplyOptions,
) -> Result<Vec<crate::lint::Finding>, EngineError> {
    use crate::lint::LintGate;
    if options.lint == LintGate::Off || pending.is_empty() {
        return Ok(Vec::new());
    }
    let report = crate::lint::run::gate(session.project, pending);
    if options.lint == LintGate::Deny && report.has_errors() {
        return Err(EngineError::LintDenied(Box::new(report)));
    }
    Ok(report.findings)
}

async fn apply_locked(
    session: &Session<'_>,
    options: &ApplyOptions,
    progress: &mut dyn Progress,
    lock: &crate::lock::WriterLock,
) -> Result<Vec<Applied>, EngineError> {
    // Read the history only now, under the lock: a concurrent run that held the lock before
    // us has recorded its work, and we find nothing left to do.
    let history = session.history_rows().await?;
    let mismatched = mismatches(session.project, &history);
    if !mismatched.is_empty() {
        return Err(EngineError::ChecksumMismatch(mismatched));
    }
    let pending = plan(session, &history, options)?;
    if !options.resume {
        if let Some(h) = history.iter().find(|h| h.is_partial()) {
            let statements = session
                .project
                .migrations
                .get(h.version)
                .map(|m| sql_split::split(&m.up_sql).len())
                .unwrap_or(0);
            return Err(EngineError::Partial(Box::new(super::PartialState {
                migration: format!("{}_{}", h.version, h.name),
                file: session
                    .project
                    .migrations
                    .get(h.version)
                    .map(|m| m.up_path.clone())
                    .unwrap_or_default(),
                statements_done: h.statements_done.unwrap_or(0),
                statements,
                error: h.error.clone(),
                invalid_indexes: super::invalid_indexes(&session.client).await,
            })));
        }
    }
    if options.single_transaction {
        return apply_single_transaction(session, &pending, progress).await;
    }
    let mut applied: Vec<Applied> = Vec::new();
    progress.start(pending.len(), "applying");
    for m in pending {
        progress.begin(m);
        let partial = history
            .iter()
            .find(|h| h.version == m.version && h.is_partial());
        let t0 = Instant::now();
        let outcome = if m.no_transaction {
            let resume_from = partial
                .and_then(|h| h.statements_done)
                .map(|d| d.max(0) as usize)
                .unwrap_or(0);
            if resume_from > 0 {
                progress.note(&format!(
                    "resuming {} at statement {} (statements 1 to {} already ran)",
                    m.label(),
                    resume_from + 1,
                    resume_from
                ));
            }
            run_no_transaction(session, m, resume_from)
                .await
                .map(|()| (resume_from > 0).then_some(resume_from + 1))
        } else {
            let history_sql = session.history.insert_applied_sql(m);
            session
                .run_in_transaction(m, &m.up_path, &m.up_sql, &history_sql)
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
                return Err(EngineError::MigrationFailed(Box::new(failure)));
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
    pending: &[&Migration],
    progress: &mut dyn Progress,
) -> Result<Vec<Applied>, EngineError> {
    if let Some(m) = pending.iter().find(|m| m.no_transaction) {
        return Err(EngineError::NotTransactional(m.label()));
    }
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    session
        .client
        .batch_execute("BEGIN")
        .await
        .map_err(EngineError::db("starting the transaction"))?;
    let mut applied: Vec<Applied> = Vec::new();
    progress.start(pending.len(), "applying");
    for m in pending {
        progress.begin(m);
        let t0 = Instant::now();
        let history_sql = session.history.insert_applied_sql(m);
        if let Err(failure) = session
            .run_in_open_transaction(m, &m.up_path, &m.up_sql, &history_sql)
            .await
        {
            progress.finish();
            return Err(EngineError::MigrationFailed(Box::new(failure)));
        }
        let ms = t0.elapsed().as_millis() as u64;
        progress.done(m, ms);
        applied.push(Applied::of(m, ms, None));
    }
    progress.finish();
    if let Err(e) = session.client.batch_execute("COMMIT").await {
        let _ = session.client.batch_execute("ROLLBACK").await;
        return Err(EngineError::Db {
            context: "committing the run (deferred constraints are checked now); it was rolled back, nothing took effect".into(),
            message: crate::conn::describe_pg_error(&e),
        });
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
) -> Result<(), MigrationFailure> {
    let statements = sql_split::split(&m.up_sql);
    let total = statements.len();
    let t0 = Instant::now();
    let history_failure = |e: tokio_postgres::Error, done: usize| MigrationFailure {
        migration: m.label(),
        file: m.up_path.clone(),
        line: None,
        column: None,
        message: format!(
            "recording progress in the history table failed: {}",
            crate::conn::describe_pg_error(&e)
        ),
        detail: None,
        hint: None,
        context: None,
        state: format!("statements 1 to {done} of {total} took effect (not undone)"),
        applied_before: Vec::new(),
    };
    // Mark it started before the first statement: a kill now leaves a visible record.
    session
        .history
        .record_progress(&session.client, m, resume_from as i32, 0, None, false)
        .await
        .map_err(|e| history_failure(e, resume_from))?;
    for (index, statement) in statements.iter().enumerate().skip(resume_from) {
        if let Err(e) = session.client.batch_execute(&statement.sql).await {
            let mut failure = describe_failure(
                &e,
                m,
                &m.up_path,
                &m.up_sql,
                Sent::Statement {
                    offset: statement.offset,
                },
            );
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
            let invalid = super::invalid_indexes(&session.client).await;
            failure.state = format!(
                "this migration runs outside a transaction: statements 1 to {done} of {total} took effect and were NOT undone; statement {} failed and nothing after it ran. \
                 The history records it as partial, and apply will not go past it. {}\
                 Fix the cause, then `strata apply --resume` runs statements {} to {total} again; or undo statements 1 to {done} and `strata repair` clears the record so apply starts it over.",
                done + 1,
                super::invalid_index_advice(&invalid),
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

/// The SQL a dry run shows for one migration: what strata would send, runnable by psql.
fn dry_run_text(session: &Session<'_>, m: &Migration, history: &[HistoryRow]) -> String {
    let mut out = format!("-- strata: {} ({})\n", m.label(), m.up_path);
    if m.no_transaction {
        let done = history
            .iter()
            .find(|h| h.version == m.version && h.is_partial())
            .and_then(|h| h.statements_done)
            .unwrap_or(0) as usize;
        out.push_str("-- runs outside a transaction, one statement at a time\n");
        for s in sql_split::split(&m.up_sql).iter().skip(done) {
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
    sql_split::strip_cosmetics(sql).trim_end().ends_with(';')
}
