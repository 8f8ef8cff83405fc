//! A lint run for the command and for `apply`: which SQL to read (the project's migrations,
//! the pending ones or the files given), live sizes from the target, `--trace` on a
//! scratch database, `--fix` planned.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::trace::{self, TraceReport};
use super::{analyze, fix, live, LintOptions, LintReport, SqlSource, StatementFacts};
use crate::migration::Migration;
use crate::ops::shadow::{self, Candidate};
use crate::ops::{EngineError, NoProgress, Session, Timeouts};
use crate::project::{Project, ProjectSource};

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

/// Largest file `strata lint FILE` reads.
const MAX_FILE_BYTES: u64 = crate::project::MAX_MIGRATION_BYTES;

/// The options the project's settings give.
pub fn options_for(project: &Project) -> LintOptions {
    let s = &project.config.settings;
    LintOptions {
        config: project.config.lint.clone(),
        covered: analyze::Covered {
            lock_timeout: !s.ddl_lock_timeout.is_zero(),
            statement_timeout: !s.statement_timeout.is_zero(),
        },
        sizes: None,
        measured_rates: None,
    }
}

fn source_of(project: &Project, m: &Migration, lint: bool) -> SqlSource {
    let rel = match &project.source {
        ProjectSource::Dir(d) => std::path::Path::new(&m.up_path)
            .strip_prefix(d)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| m.up_path.clone()),
        ProjectSource::Embedded => m.up_path.clone(),
    };
    SqlSource {
        path: m.up_path.clone(),
        rel,
        sql: m.up_sql.clone(),
        no_transaction: m.no_transaction,
        lint,
        version: Some(m.version),
    }
}

/// Every migration of the project in order, those in `lint` (all when None) marked to be
/// reported.
pub fn project_sources(project: &Project, lint: Option<&BTreeSet<i64>>) -> Vec<SqlSource> {
    project
        .migrations
        .migrations
        .iter()
        .map(|m| source_of(project, m, lint.is_none_or(|l| l.contains(&m.version))))
        .collect()
}

/// The project's migrations (read, not reported) followed by the files, each reported; a
/// file that is one of the project's migrations is reported in its place.
pub fn file_sources(project: &Project, files: &[PathBuf]) -> anyhow::Result<Vec<SqlSource>> {
    let mut sources = project_sources(project, Some(&BTreeSet::new()));
    for path in files {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if let Some(s) = sources
            .iter_mut()
            .find(|s| std::path::Path::new(&s.path) == canonical)
        {
            s.lint = true;
            continue;
        }
        let sql = read_bounded(path)?;
        let shown = path.display().to_string();
        sources.push(SqlSource {
            rel: shown.clone(),
            path: shown,
            no_transaction: crate::migration::has_no_transaction_directive(&sql),
            sql,
            lint: true,
            version: None,
        });
    }
    Ok(sources)
}

fn read_bounded(path: &PathBuf) -> anyhow::Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
    let meta = file
        .metadata()
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if !meta.is_file() {
        anyhow::bail!("{}: not a regular file", path.display());
    }
    if meta.len() > MAX_FILE_BYTES {
        anyhow::bail!(
            "{}: {} bytes is larger than the {MAX_FILE_BYTES}-byte limit",
            path.display(),
            meta.len()
        );
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not valid UTF-8 (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
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

/// Static lint of `pending` migrations (all others read for context): what `apply` runs
/// first.
pub fn gate(project: &Project, pending: &[&Migration]) -> LintReport {
    let versions: BTreeSet<i64> = pending.iter().map(|m| m.version).collect();
    let sources = project_sources(project, Some(&versions));
    super::lint(&sources, &options_for(project)).0
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
    let client = params.connect().await.map_err(|e| EngineError::Db {
        context: "connecting to the scratch database".into(),
        message: e.to_string(),
    })?;
    let db = |what: &'static str| EngineError::db(what);
    // Nothing on a scratch database needs to survive a crash: commits need not wait for
    // the disk (lock hold times then measure the work, not the fsync).
    client
        .batch_execute("SET synchronous_commit = off")
        .await
        .map_err(db("preparing the scratch database"))?;
    // A second session watches the locks of statements that must run outside a
    // transaction (their locks are gone before the first session could read them).
    let monitor = params.connect().await.map_err(|e| EngineError::Db {
        context: "connecting to the scratch database".into(),
        message: e.to_string(),
    })?;
    let session = Session::new(client, project, params.redacted());
    let first = sources.iter().position(|s| s.lint).unwrap_or(sources.len());
    // Build what comes before: strata's apply up to the migration before the first traced.
    let mut start = 0;
    if let Some(v) = first
        .checked_sub(1)
        .and_then(|i| sources[i].version)
        .filter(|v| project.migrations.get(*v).is_some())
    {
        let timeouts = Timeouts {
            lock_wait: std::time::Duration::from_secs(60),
            ddl_lock: std::time::Duration::ZERO,
            statement: std::time::Duration::ZERO,
        };
        crate::ops::apply::apply(
            &session,
            &crate::ops::apply::ApplyOptions {
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
        let statements = trace::to_trace(&src.sql, i, facts);
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
                return Err(EngineError::Db {
                    context: format!("{} on the scratch database", src.path),
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

/// Plans `--fix` for the reported sources that are migrations of a project on disk.
pub fn plan_fix(
    project: &Project,
    sources: &[SqlSource],
    report: &LintReport,
) -> anyhow::Result<fix::FixPlan> {
    if project.dir().is_none() {
        anyhow::bail!("--fix rewrites migration files: it needs a project on disk (--project DIR), not the embedded one");
    }
    let mut targets = Vec::new();
    for (i, s) in sources.iter().enumerate().filter(|(_, s)| s.lint) {
        let Some(m) = s.version.and_then(|v| project.migrations.get(v)) else {
            continue;
        };
        targets.push(fix::Target {
            source: i,
            version: m.version,
            name: m.name.clone(),
            up: PathBuf::from(&m.up_path),
            down: PathBuf::from(&m.down_path),
            down_sql: m.down_sql.clone(),
        });
    }
    let mut versions = fix::Versions {
        used: project
            .migrations
            .migrations
            .iter()
            .map(|m| {
                (
                    m.version,
                    std::path::Path::new(&m.up_path)
                        .parent()
                        .map(|p| p.to_path_buf())
                        .unwrap_or_default(),
                )
            })
            .collect(),
    };
    Ok(fix::plan(
        sources,
        &targets,
        &report.findings,
        &mut versions,
    ))
}
