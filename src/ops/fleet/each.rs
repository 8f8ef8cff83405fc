//! What each command does on one target of a fleet: open its session (in its tenant schema
//! when it has one), call the single-target operation — the same `apply`, `status`,
//! `rollback`, `check`, `diff` a one-database run calls — and keep one report row of it.

use std::collections::HashSet;

use super::{message, open, release, Failure, FleetTarget, TargetResult, TargetSink};
use crate::ops::diff::{DiffOptions, ExpectedSource};
use crate::ops::snapshot::Snapshot;
use crate::ops::status::State;
use crate::ops::{ApplyOptions, RollbackTarget, Timeouts};
use crate::project::Project;

/// `apply` on one target: before → after and the migrations applied; a failure names what
/// this run applied before it.
pub async fn apply(
    project: &Project,
    target: &FleetTarget,
    options: &ApplyOptions,
    timeouts: &Timeouts,
    mut sink: TargetSink,
) -> Result<TargetResult, Failure> {
    let session = open(project, target, "strata apply").await?;
    let options = ApplyOptions {
        halt: Some(sink.halt.clone()),
        ..options.clone()
    };
    let outcome = crate::ops::apply::apply(&session, &options, timeouts, &mut sink).await;
    if outcome.is_ok() {
        release(session, target).await;
    }
    match outcome {
        Ok(report) => {
            let applied: HashSet<i64> = report.applied.iter().map(|a| a.version).collect();
            let before = report
                .status
                .migrations
                .iter()
                .filter(|r| r.state == State::Applied && !applied.contains(&r.version))
                .map(|r| r.version)
                .max();
            // Nothing of the run is dropped without a word: a dry run says so, and lint
            // findings (lint = "warn") are counted.
            let mut notes = Vec::new();
            if report.dry_run {
                notes.push(format!(
                    "dry run: {} would be applied, nothing was changed",
                    report.applied.len()
                ));
            }
            if !report.lint.is_empty() {
                notes.push(format!(
                    "{} lint finding(s): see `strata lint` on this target",
                    report.lint.len()
                ));
            }
            Ok(TargetResult {
                before,
                after: report.status.current_version,
                changed: report.applied.len(),
                pending: report.status.summary.pending,
                drift: report.status.has_drift(),
                detail: (!notes.is_empty()).then(|| notes.join("; ")),
                ..TargetResult::default()
            })
        }
        // The error names what this run applied before it (those stay applied).
        Err(e) => Err(Failure {
            halted: matches!(
                &e.kind,
                crate::ops::EngineError::Interrupted { signal, .. } if *signal == crate::ops::apply::HALTED
            ),
            result: TargetResult {
                changed: e.applied.len(),
                ..TargetResult::default()
            },
            error: message(&e),
        }),
    }
}

/// `status` on one target: its version, pending migrations and drift.
pub async fn status(project: &Project, target: &FleetTarget) -> Result<TargetResult, Failure> {
    let session = open(project, target, "strata status").await?;
    let report = crate::ops::status::status(&session)
        .await
        .map_err(Failure::of)?;
    release(session, target).await;
    Ok(TargetResult {
        before: report.current_version,
        after: report.current_version,
        pending: report.summary.pending,
        drift: report.has_drift(),
        detail: report.standby.then(|| "standby".to_string()),
        ..TargetResult::default()
    })
}

/// `rollback` on one target (the fleet asked once before any started).
pub async fn rollback(
    project: &Project,
    target: &FleetTarget,
    what: RollbackTarget,
    dry_run: bool,
    timeouts: &Timeouts,
    mut sink: TargetSink,
) -> Result<TargetResult, Failure> {
    let session = open(project, target, "strata rollback").await?;
    let before = session
        .history_rows()
        .await
        .map_err(Failure::of)?
        .iter()
        .filter(|r| !r.is_partial())
        .map(|r| r.version)
        .max();
    let report = crate::ops::rollback::rollback(&session, what, dry_run, timeouts, &mut sink)
        .await
        .map_err(Failure::of)?;
    release(session, target).await;
    Ok(TargetResult {
        before,
        after: report.status.current_version,
        changed: report.rolled_back.len(),
        pending: report.status.summary.pending,
        drift: report.status.has_drift(),
        detail: report.dry_run.then(|| {
            format!(
                "dry run: {} would be rolled back, nothing was changed",
                report.rolled_back.len()
            )
        }),
        ..TargetResult::default()
    })
}

/// `diff` on one database target, against the expected schema built once for the fleet.
pub async fn diff(
    project: &Project,
    target: &FleetTarget,
    expected: &Snapshot,
    options: &DiffOptions,
    lock_wait: std::time::Duration,
) -> Result<TargetResult, Failure> {
    let session = open(project, target, "strata diff").await?;
    let source = ExpectedSource::Snapshot(Box::new(expected.clone()), "the migrations".into());
    let report = crate::ops::diff::diff(&session, source, options, lock_wait)
        .await
        .map_err(Failure::of)?;
    let version = crate::ops::status::status(&session)
        .await
        .map_err(Failure::of)?
        .current_version;
    let s = &report.summary;
    Ok(TargetResult {
        before: version,
        after: version,
        drift: report.has_drift(),
        detail: Some(format!(
            "{} differences ({} missing, {} extra, {} changed)",
            s.total, s.missing, s.extra, s.changed
        )),
        ..TargetResult::default()
    })
}
