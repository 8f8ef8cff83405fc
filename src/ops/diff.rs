//! `diff`: the schema the migrations make (or a snapshot of it, or a second database)
//! against a live database, as a list of differences, the script that repairs them, and
//! the history check of `status`.

use serde::Serialize;
use tokio_postgres::Client;

use super::consistent::{read_live, LiveRead};
use super::shadow::{expected_schema, Candidate};
use super::snapshot::Snapshot;
use super::status::{compute, StatusRow};
use super::{EngineError, Session};
use std::collections::BTreeMap;

use crate::diff::compare::changes;
use crate::diff::script::LiveServer;
use crate::diff::{count, script, CompareOptions, Counts, Difference, Exclude, Script, Statement};
use crate::introspect::{introspect, CatalogModel, IntrospectOptions, Introspection};

/// Format version of the JSON report.
pub const REPORT_FORMAT: u32 = 1;

/// Where the expected schema comes from.
#[derive(Debug)]
pub enum ExpectedSource {
    /// The project's migrations applied to a scratch database on the first of these
    /// servers that allows it.
    Migrations(Vec<Candidate>),
    /// A stored snapshot, and where it was read from.
    Snapshot(Box<Snapshot>, String),
}

/// What to compare and produce.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Compare owners and grants.
    pub privileges: bool,
    /// Glob patterns of objects to leave out.
    pub exclude: Vec<String>,
    /// Produce the repair script.
    pub sql: bool,
    /// Objects of kinds strata does not compare are drift too.
    pub strict: bool,
}

/// The result of `diff`.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    pub format: u32,
    /// What the expected side is: migrations, a snapshot, or a database.
    pub expected: String,
    /// The live database.
    pub live: String,
    pub differences: Vec<Difference>,
    pub summary: Counts,
    /// Objects of kinds strata does not compare, by kind, on either side: never silently
    /// "no differences" (`--strict` makes them drift).
    pub not_compared: BTreeMap<String, usize>,
    /// Differences no statement can make (column order, locally defined inherited columns):
    /// reported by table, never silently "no differences" (`--strict` makes them drift).
    pub not_scriptable: Vec<crate::diff::residual::NotScriptable>,
    /// Migrations that are not simply applied: pending, modified, unknown, partial (not
    /// checked with `--from/--to`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migrations: Option<Vec<StatusRow>>,
    /// Catalog queries each introspection ran (the same for any schema size).
    pub catalog_queries: usize,
    /// True when the live database is a standby (in recovery).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub standby: bool,
    /// Notes for the reader (a stale snapshot).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// With `--sql`: the script that brings the live schema to the expected one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// With `--sql`: its statements, each with its hazard and the differences (indexes into
    /// `differences`) it repairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements: Option<Vec<Statement>>,
    #[serde(skip)]
    pub script: Option<Script>,
    /// `--strict`: objects not compared are drift.
    #[serde(skip)]
    pub strict: bool,
}

impl DiffReport {
    /// Drift: a schema difference, or a migration that is not simply applied.
    pub fn has_drift(&self) -> bool {
        !self.differences.is_empty()
            || self.migrations.as_ref().is_some_and(|m| !m.is_empty())
            || (self.strict && (!self.not_compared.is_empty() || !self.not_scriptable.is_empty()))
    }
}

pub(crate) fn introspect_options(
    session_project: &crate::project::Project,
    privileges: bool,
    dependencies: bool,
) -> IntrospectOptions {
    let s = &session_project.config.settings;
    IntrospectOptions {
        history_schema: s.history_schema.clone(),
        history_table: s.history_table.clone(),
        privileges,
        dependencies,
    }
}

/// Compares the live database of `session` with the expected schema.
pub async fn diff(
    session: &Session<'_>,
    source: ExpectedSource,
    options: &DiffOptions,
    lock_wait: std::time::Duration,
) -> Result<DiffReport, EngineError> {
    let project = session.project;
    // The dependency graph only orders a script: without --sql it is not read.
    let io = introspect_options(project, options.privileges, options.sql);
    let mut warnings = Vec::new();
    let (live, expected, expected_label) = match source {
        ExpectedSource::Migrations(candidates) => {
            // The live side is read while the scratch database is built.
            let (live, (model, label)) = futures_util::try_join!(
                read_live(session, &io),
                expected_schema(project, &candidates, &io, lock_wait)
            )?;
            (live, model.model, label)
        }
        ExpectedSource::Snapshot(snapshot, origin) => {
            if options.privileges {
                warnings.push(
                    "a snapshot holds no owners or grants: --privileges compares nothing".into(),
                );
            }
            if let Some(why) = snapshot.staleness(project) {
                warnings.push(why);
            }
            let live = read_live(session, &io).await?;
            (live, snapshot.model, format!("snapshot {origin}"))
        }
    };
    // The history as of the moment the catalog was read.
    let LiveRead {
        introspection: live,
        history,
    } = live;
    let status = compute(project, &history, &session.target);
    let migrations = status
        .migrations
        .into_iter()
        .filter(|r| r.state != super::status::State::Applied)
        .collect();
    let catalog_queries = live.catalog_queries;
    let mut report = build_report(
        expected,
        live,
        options,
        expected_label,
        session.target.clone(),
    );
    report.catalog_queries = catalog_queries;
    report.migrations = Some(migrations);
    warnings.append(&mut report.warnings);
    report.warnings = warnings;
    report.standby = session.in_recovery().await?;
    Ok(report)
}

/// Compares two live databases: `to` is the expected side, so the report says what differs
/// going from `from` to `to` and the script turns `from` into `to`.
pub async fn diff_databases(
    from: (&Client, String),
    to: (&Client, String),
    history: (&str, &str),
    options: &DiffOptions,
) -> Result<DiffReport, EngineError> {
    let io = IntrospectOptions {
        history_schema: history.0.to_string(),
        history_table: history.1.to_string(),
        privileges: options.privileges,
        dependencies: options.sql,
    };
    let (live, expected) = futures_util::try_join!(introspect(from.0, &io), introspect(to.0, &io))?;
    let catalog_queries = live.catalog_queries;
    let mut report = build_report(expected.model, live, options, to.1, from.1);
    report.catalog_queries = catalog_queries;
    Ok(report)
}

fn build_report(
    mut expected: CatalogModel,
    live: Introspection,
    options: &DiffOptions,
    expected_label: String,
    live_label: String,
) -> DiffReport {
    let exclude = Exclude::new(&options.exclude);
    let mut live_model = live.model;
    exclude.apply(&mut expected);
    exclude.apply(&mut live_model);
    let changes = changes(
        &expected,
        &live_model,
        &CompareOptions {
            privileges: options.privileges,
        },
    );
    let differences = changes.differences();
    let mut warnings = crate::diff::references::missing(
        &expected,
        &live.roles,
        &live.tablespaces,
        options.privileges,
    );
    let script = options.sql.then(|| {
        script(
            &expected,
            &live_model,
            &changes,
            &LiveServer {
                acl_defaults: live.acl_defaults.clone(),
            },
            options.privileges,
        )
    });
    if let Some(s) = &script {
        warnings.extend(s.warnings.iter().cloned());
    }
    let sql = script.as_ref().map(|s| {
        s.text(&format!(
            "strata diff: brings {live_label}\nto the schema of {expected_label}"
        ))
    });
    let mut not_compared: BTreeMap<String, usize> = BTreeMap::new();
    for (kind, names) in expected
        .not_compared
        .iter()
        .chain(live_model.not_compared.iter())
    {
        let both: std::collections::BTreeSet<&String> = expected
            .not_compared
            .get(kind)
            .into_iter()
            .chain(live_model.not_compared.get(kind))
            .flatten()
            .collect();
        let _ = names;
        not_compared.insert(kind.clone(), both.len());
    }
    let not_scriptable = crate::diff::residual::not_scriptable(&expected, &live_model);
    DiffReport {
        format: REPORT_FORMAT,
        expected: expected_label,
        live: live_label,
        summary: count(&differences),
        differences,
        not_compared,
        not_scriptable,
        migrations: None,
        catalog_queries: 0,
        standby: false,
        warnings,
        sql,
        statements: script.as_ref().map(|s| s.statements.clone()),
        script,
        strict: options.strict,
    }
}
