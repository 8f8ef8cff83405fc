//! Which SQL a lint reads — the project's migrations (those to report marked), or files
//! given on the command line — with the options the project's settings give; the static
//! gate `apply` runs; `--fix` planned. Nothing here connects (see `ops::lint`).

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;

use super::{analyze, fix, LintOptions, LintReport, SqlSource};
use crate::migration::Migration;
use crate::project::{Project, ProjectSource};

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
        statements: m.up_statements.clone(),
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
            statements: crate::sql_split::split(&sql),
            sql,
            lint: true,
            version: None,
        });
    }
    Ok(sources)
}

fn read_bounded(path: &std::path::Path) -> anyhow::Result<String> {
    let bytes = crate::project::read::read_regular(path, MAX_FILE_BYTES)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not valid UTF-8 (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Static lint of `pending` migrations (all others read for context): what `apply` runs
/// first.
pub fn gate(project: &Project, pending: &[&Migration]) -> LintReport {
    let versions: BTreeSet<i64> = pending.iter().map(|m| m.version).collect();
    let sources = project_sources(project, Some(&versions));
    super::lint(&sources, &options_for(project)).0
}

/// The gate's reports by the pending versions they were made for: the gate reads only the
/// project, so a fleet whose targets have the same migrations pending lints them once
/// instead of once per target.
#[derive(Debug, Default)]
pub struct GateMemo(Mutex<HashMap<Vec<i64>, LintReport>>);

impl GateMemo {
    /// [`gate`], or the report it gave for the same pending versions.
    pub fn gate(&self, project: &Project, pending: &[&Migration]) -> LintReport {
        let key: Vec<i64> = pending.iter().map(|m| m.version).collect();
        // Held while linting: the targets starting together wait for one lint rather than
        // each running the same one.
        let mut reports = self.0.lock().unwrap_or_else(|e| e.into_inner());
        reports
            .entry(key)
            .or_insert_with(|| gate(project, pending))
            .clone()
    }
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
