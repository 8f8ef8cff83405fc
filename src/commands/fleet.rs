//! The fleet form of `apply`, `status`, `rollback`, `check` and `diff` (`--targets`,
//! `--targets-query`, `--schemas`): the targets from the settings, the per-target operation
//! of `ops::fleet::each` on the fleet engine, one report.

use std::sync::Arc;

use anyhow::bail;

use crate::check::CheckOptions;
use crate::lint::sources::GateMemo;
use crate::ops::diff::DiffOptions;
use crate::ops::fleet::{self, each, FleetTarget, Workers};
use crate::ops::{ApplyOptions, Console, Question, RollbackTarget, Timeouts};
use crate::outcome::Outcome;
use crate::project::Project;
use crate::settings::{FleetSpec, Settings};

/// The fleet's targets (a query or glob runs against `--database-url` now).
async fn targets(settings: &Settings, spec: &FleetSpec) -> anyhow::Result<Vec<FleetTarget>> {
    if settings.live.local.is_some() {
        // Only a file names its own targets; a query or a glob needs the control database.
        return spec
            .targets(&settings.live.params)
            .await
            .map_err(|e| e.context("no --database-url: --targets-query and --schemas read it"));
    }
    spec.targets(&settings.live.params_for(settings.purpose))
        .await
}

pub async fn apply(
    spec: &FleetSpec,
    mut options: ApplyOptions,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let list = targets(settings, spec).await?;
    // Targets with the same migrations pending are linted once.
    options.lint_memo = Some(Arc::new(GateMemo::default()));
    let shared = Arc::new((settings.project.clone(), options, settings.timeouts));
    let workers = Workers::new(spec.options.parallel);
    let report = fleet::run(
        "apply",
        &list,
        &spec.options,
        console.progress(),
        |t, sink| {
            let (shared, target) = (shared.clone(), t.clone());
            workers.run(move || async move {
                let (project, options, timeouts) = &*shared;
                each::apply(project, &target, options, timeouts, sink).await
            })
        },
    )
    .await;
    workers.close().await;
    Ok(Outcome::Fleet(report))
}

pub async fn status(
    spec: &FleetSpec,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let list = targets(settings, spec).await?;
    let project = Arc::new(settings.project.clone());
    let workers = Workers::new(spec.options.parallel);
    let report = fleet::run(
        "status",
        &list,
        &spec.options,
        console.progress(),
        |t, _| {
            let (project, target) = (project.clone(), t.clone());
            workers.run(move || async move { each::status(&project, &target).await })
        },
    )
    .await;
    workers.close().await;
    Ok(Outcome::Fleet(report))
}

pub async fn rollback(
    spec: &FleetSpec,
    what: RollbackTarget,
    dry_run: bool,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let list = targets(settings, spec).await?;
    if !dry_run {
        // Asked once for the whole fleet, before any target starts.
        let described = describe(what);
        let question = Question::FleetRollback {
            targets: list.len(),
            what: &described,
        };
        if !console.confirm(&question)? {
            bail!("rollback cancelled: nothing was changed on any target");
        }
    }
    let shared = Arc::new((settings.project.clone(), settings.timeouts));
    let workers = Workers::new(spec.options.parallel);
    let report = fleet::run(
        "rollback",
        &list,
        &spec.options,
        console.progress(),
        |t, sink| {
            let (shared, target) = (shared.clone(), t.clone());
            workers.run(move || async move {
                let (project, timeouts) = &*shared;
                each::rollback(project, &target, what, dry_run, timeouts, sink).await
            })
        },
    )
    .await;
    workers.close().await;
    Ok(Outcome::Fleet(report))
}

fn describe(what: RollbackTarget) -> String {
    match what {
        RollbackTarget::All => "every migration".into(),
        RollbackTarget::To(v) => format!("everything newer than {v}"),
        RollbackTarget::Phase(p) => format!("phase {p} and later"),
        RollbackTarget::Steps(n) => format!("the last {n} migration(s)"),
    }
}

pub async fn check(
    spec: &FleetSpec,
    options: CheckOptions,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let list = targets(settings, spec).await?;
    refuse_schemas(&list, "check")?;
    let (project, timeouts) = (&settings.project, &settings.timeouts);
    let report = fleet::run("check", &list, &spec.options, console.progress(), |t, _| {
        check_target(project, t, &options, timeouts)
    })
    .await;
    Ok(Outcome::Fleet(report))
}

pub async fn diff(
    spec: &FleetSpec,
    options: DiffOptions,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let list = targets(settings, spec).await?;
    refuse_schemas(&list, "diff")?;
    // The expected schema is built once, on a scratch database, for every target.
    let expected = crate::ops::snapshot::snapshot(
        &settings.project,
        &settings.scratch_servers,
        settings.timeouts.lock_wait,
    )
    .await?;
    let (project, lock_wait) = (&settings.project, settings.timeouts.lock_wait);
    let report = fleet::run("diff", &list, &spec.options, console.progress(), |t, _| {
        each::diff(project, t, &expected, &options, lock_wait)
    })
    .await;
    Ok(Outcome::Fleet(report))
}

/// `check` and `diff` read a whole database's catalog: on tenant schemas they would read
/// every tenant's objects as the one target's, so they are refused by name.
fn refuse_schemas(list: &[FleetTarget], command: &str) -> anyhow::Result<()> {
    if let Some(t) = list.iter().find(|t| t.schema.is_some()) {
        bail!(
            "{command} on tenant schemas is not supported (target {} is schema {}): {command} reads the whole database's catalog; run it on database targets",
            t.name,
            t.schema.as_deref().unwrap_or_default()
        );
    }
    Ok(())
}

/// `check` on one target: the checks that failed are its violations.
async fn check_target(
    project: &Project,
    target: &FleetTarget,
    options: &CheckOptions,
    timeouts: &Timeouts,
) -> Result<fleet::TargetResult, fleet::Failure> {
    let session = fleet::open(project, target, "strata check").await?;
    let report = crate::check::check(&session, options, timeouts)
        .await
        .map_err(fleet::Failure::of)?;
    if report.has_errors() {
        return Err(fleet::Failure::from(format!(
            "{} check(s) could not run (see `strata check` on this target)",
            report.summary.errors
        )));
    }
    let version = crate::ops::status::status(&session)
        .await
        .map_err(fleet::Failure::of)?
        .current_version;
    Ok(fleet::TargetResult {
        before: version,
        after: version,
        violations: report.summary.failed,
        detail: Some(format!(
            "{} checks, {} failed, {} warnings",
            report.summary.checks, report.summary.failed, report.summary.warnings
        )),
        ..fleet::TargetResult::default()
    })
}
