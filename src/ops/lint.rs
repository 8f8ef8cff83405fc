//! `strata lint` as a run: the pending migrations and the live table sizes read from the
//! target, `--trace` on a scratch database built by the migrations before the traced ones,
//! `--fix` asked for and written. The analysis itself is `crate::lint`'s.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::shadow::{self, Candidate};
use super::{Console, EngineError, NoProgress, Question, Session, Timeouts};
use crate::lint::sources::{file_sources, options_for, plan_fix, project_sources};
use crate::lint::trace::{self, TraceReport};
use crate::lint::{self, live, LintReport, SqlSource, StatementFacts};
use crate::project::Project;

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct LintRequest {
    /// Files to lint instead of the project's migrations.
    pub files: Vec<PathBuf>,
    pub trace: bool,
    pub fix: bool,
    /// Servers for the scratch database (`--trace`).
    pub candidates: Vec<Candidate>,
}

/// Lints what `request` names: the files given, or the project's migrations (the pending
/// ones when `session` connects to the target, whose live sizes then grade the findings);
/// traces them on a scratch database with `--trace`; plans `--fix`, shows it through the
/// console and writes it when confirmed.
pub async fn lint(
    project: &Project,
    session: Option<&Session<'_>>,
    request: &LintRequest,
    console: &mut dyn Console,
) -> anyhow::Result<LintReport> {
    let mut options = options_for(project);
    let sources = match session {
        _ if !request.files.is_empty() => file_sources(project, &request.files)?,
        Some(s) => project_sources(project, Some(&pending(s).await?)),
        None => project_sources(project, None),
    };
    if let Some(s) = session {
        options.sizes = Some(sizes(s).await?);
    }
    let (mut report, facts) = lint::lint(&sources, &options);
    if request.trace {
        let trace = trace_sources(
            project,
            &sources,
            &facts,
            &request.candidates,
            options.sizes.is_some(),
        )
        .await?;
        options.measured_rates = trace.rates_mb_per_s;
        report = lint::lint(&sources, &options).0;
        report.trace = Some(trace);
    }
    if request.fix {
        let mut plan = plan_fix(project, &sources, &report)?;
        if !plan.edits.is_empty() && console.confirm(&Question::LintFix(&plan))? {
            lint::fix::write(&mut plan)?;
        }
        report.fix = Some(plan);
    }
    Ok(report)
}

/// Reads live sizes through `session` (a connection to the target).
pub async fn sizes(session: &Session<'_>) -> Result<live::LiveSizes, EngineError> {
    live::read(&session.client, session.target.clone())
        .await
        .map_err(EngineError::db("reading table sizes"))
}

/// The versions `apply` would run: not recorded as applied (a partial one counts).
pub async fn pending(session: &Session<'_>) -> Result<BTreeSet<i64>, EngineError> {
    let history = session.history_rows().await?;
    let done: BTreeSet<i64> = history
        .iter()
        .filter(|h| !h.is_partial())
        .map(|h| h.version)
        .collect();
    Ok(session
        .project
        .migrations
        .migrations
        .iter()
        .map(|m| m.version)
        .filter(|v| !done.contains(v))
        .collect())
}

/// Traces the sources marked `lint` on a scratch database: the sources before the first
/// one are applied (with strata's apply when they are the project's migrations), then each
/// is run statement by statement and compared with `facts`.
pub async fn trace_sources(
    project: &Project,
    sources: &[SqlSource],
    facts: &[StatementFacts],
    candidates: &[Candidate],
    measure_rates: bool,
) -> Result<TraceReport, EngineError> {
    let started = std::time::Instant::now();
    let scratch = shadow::create(candidates).await?;
    let result = trace_on(project, &scratch, sources, facts, measure_rates).await;
    let dropped = scratch.drop_now().await;
    let mut report = result?;
    dropped?;
    report.ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

async fn trace_on(
    project: &Project,
    scratch: &shadow::Scratch,
    sources: &[SqlSource],
    facts: &[StatementFacts],
    measure_rates: bool,
) -> Result<TraceReport, EngineError> {
    let mut params = scratch.params();
    params.application_name = Some("strata lint --trace".into());
    let client = params
        .connect()
        .await
        .map_err(EngineError::connect("connecting to the scratch database"))?;
    let db = |what: &'static str| EngineError::db(what);
    // Nothing on a scratch database needs to survive a crash: commits need not wait for
    // the disk (lock hold times then measure the work, not the fsync).
    client
        .batch_execute("SET synchronous_commit = off")
        .await
        .map_err(db("preparing the scratch database"))?;
    // A second session watches the locks of statements that must run outside a
    // transaction (their locks are gone before the first session could read them).
    let monitor = params
        .connect()
        .await
        .map_err(EngineError::connect("connecting to the scratch database"))?;
    let session = Session::new(client, project, params.clone());
    let first = sources.iter().position(|s| s.lint).unwrap_or(sources.len());
    // Build what comes before: strata's apply up to the migration before the first traced.
    let mut start = 0;
    if let Some(v) = first
        .checked_sub(1)
        .and_then(|i| sources[i].version)
        .filter(|v| project.migrations.get(*v).is_some())
    {
        let timeouts = Timeouts::scratch(std::time::Duration::from_secs(60));
        crate::ops::apply::apply(
            &session,
            &super::ApplyOptions {
                to: Some(v),
                ..Default::default()
            },
            &timeouts,
            &mut NoProgress,
        )
        .await?;
        start = first;
    }
    // The rates only serve estimates from live sizes.
    let rates = if measure_rates {
        Some(
            trace::measure_rates(&session.client)
                .await
                .map_err(db("measuring rates on the scratch database"))?,
        )
    } else {
        None
    };
    let mut report = TraceReport {
        scratch: scratch.label.clone(),
        rates_mb_per_s: rates,
        ..TraceReport::default()
    };
    for (i, src) in sources.iter().enumerate().skip(start) {
        let statements = trace::to_trace(src, i, facts);
        if !src.lint {
            // Context between traced files: run it plainly.
            let t = trace::trace_script(
                &session.client,
                Some(&monitor),
                &src.path,
                &statements,
                !src.no_transaction,
                false,
            )
            .await
            .map_err(db("running a migration on the scratch database"))?;
            if let Some(e) = t.statements.iter().find_map(|s| s.error.clone()) {
                return Err(EngineError::TraceFailed {
                    file: src.path.clone(),
                    message: e,
                });
            }
            continue;
        }
        let t = trace::trace_script(
            &session.client,
            Some(&monitor),
            &src.path,
            &statements,
            !src.no_transaction,
            false,
        )
        .await
        .map_err(db("tracing on the scratch database"))?;
        let mine: Vec<&StatementFacts> = facts.iter().filter(|f| f.source == i).collect();
        let failed = t.statements.iter().any(|s| s.error.is_some());
        report.disagreements.extend(trace::compare(&t, &mine));
        report.migrations.push(t);
        if failed {
            break;
        }
    }
    Ok(report)
}
