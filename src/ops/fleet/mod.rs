//! Fleet runs: one command over many targets (databases, or tenant schemas in one
//! database), on a bounded pool. Groups run in the order they first appear; within a group
//! at most `parallel` targets run at once (and at most `per_server` on one server); a
//! failure stops new starts (`on_error = stop`) or not (`continue`), and a group with a
//! failure never lets the next group start. Each target runs the same single-target
//! operation (`apply`, `status`, ...) with its own session, lock and history, so the
//! single-target guarantees (lock, retries, standby refusal, consistent reads) hold per
//! target. Only one report row per target is kept.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use futures_util::stream::{FuturesUnordered, StreamExt};
use serde::Serialize;
use tokio::sync::mpsc;

use super::error::Refused;
use super::{Confirm, Progress, Question, Session};
use crate::conn::ConnParams;
use crate::project::Project;

pub mod each;
pub mod pool;
mod workers;

pub use workers::Workers;

/// One target of a fleet.
#[derive(Debug, Clone)]
pub struct FleetTarget {
    /// Its name in the targets (the schema's name for `--schemas`).
    pub name: String,
    /// Its deployment group (`default` when none is given).
    pub group: String,
    pub params: ConnParams,
    /// The tenant schema: migrations run with `search_path` set to it, and the history
    /// table lives in it.
    pub schema: Option<String>,
}

impl FleetTarget {
    /// Where it is, without password.
    pub fn label(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{} schema {schema}", self.params.redacted()),
            None => self.params.redacted(),
        }
    }

    /// The server it is on (its first host and port), for the per-server cap.
    fn server(&self) -> String {
        self.params
            .first_host()
            .map(|h| format!("{}:{}", h.host, h.port))
            .unwrap_or_default()
    }
}

/// What a failed target does to those not started yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    Stop,
    Continue,
}

/// How the fleet runs.
#[derive(Debug, Clone, Copy)]
pub struct FleetOptions {
    pub parallel: usize,
    pub per_server: usize,
    pub on_error: OnError,
}

/// Where a target ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetState {
    /// The command ran to its end on it.
    Done,
    Failed,
    /// Stopped after its current migration because another target failed
    /// (`on_error = stop`); what it applied stays applied.
    Stopped,
    /// Never started (after a failure, in a later group, or after Ctrl-C).
    NotStarted,
}

/// What the command found or did on one target.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TargetResult {
    /// Highest applied version before the run (for status: now).
    pub before: Option<i64>,
    /// Highest applied version after the run.
    pub after: Option<i64>,
    /// Migrations this run applied (rolled back, for rollback).
    pub changed: usize,
    /// Migrations still pending afterwards.
    pub pending: usize,
    /// Drift (status: modified/unknown/partial migrations; diff: differences).
    pub drift: bool,
    /// Constraint violations (check).
    pub violations: usize,
    /// One line on what was found (differences, checks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A target that failed: the error, and what the command did on it before (migrations
/// applied before a failed one stay applied).
#[derive(Debug, Clone, Default)]
pub struct Failure {
    pub result: TargetResult,
    pub error: String,
    /// Halted by the fleet between two migrations, rather than failed.
    pub halted: bool,
}

impl Failure {
    pub fn of(e: impl std::error::Error + 'static) -> Failure {
        Failure::from(message(&e))
    }
}

impl From<String> for Failure {
    fn from(error: String) -> Failure {
        Failure {
            result: TargetResult::default(),
            error,
            halted: false,
        }
    }
}

/// One row of the report.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    pub name: String,
    pub group: String,
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub state: TargetState,
    #[serde(flatten)]
    pub result: TargetResult,
    pub ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The fleet's report: a row per target, in the targets' order.
#[derive(Debug, Clone, Serialize)]
pub struct FleetReport {
    pub command: String,
    pub parallel: usize,
    pub on_error: OnError,
    pub targets: Vec<TargetRow>,
    /// Why targets were not started, when some were not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    pub total_ms: u64,
}

impl FleetReport {
    pub fn count(&self, state: TargetState) -> usize {
        self.targets.iter().filter(|r| r.state == state).count()
    }

    /// A target failed or was not started.
    pub fn has_failures(&self) -> bool {
        self.targets.iter().any(|r| r.state != TargetState::Done)
    }

    pub fn has_drift(&self) -> bool {
        self.targets.iter().any(|r| r.result.drift)
    }

    pub fn has_violations(&self) -> bool {
        self.targets.iter().any(|r| r.result.violations > 0)
    }

    /// How many targets are at each version (after the run), lowest first; `None` is a
    /// target with nothing applied, or whose version is unknown (failed, not started).
    pub fn distribution(&self) -> Vec<(Option<i64>, usize)> {
        let mut counts: std::collections::BTreeMap<Option<i64>, usize> = Default::default();
        for row in &self.targets {
            let version = match row.state {
                TargetState::Done => row.result.after,
                _ => None,
            };
            *counts.entry(version).or_default() += 1;
        }
        counts.into_iter().collect()
    }
}

/// A target's progress sink: notes go to the fleet's console prefixed with the target's
/// name; questions were asked once for the whole fleet, so it answers yes.
pub struct TargetSink {
    name: String,
    notes: mpsc::UnboundedSender<String>,
    /// Raised when the fleet stops (`on_error = stop` after a failure): a target running
    /// finishes its current migration and starts no other.
    pub halt: Arc<AtomicBool>,
}

impl Progress for TargetSink {
    fn note(&mut self, text: &str) {
        let _ = self.notes.send(format!("{}: {text}", self.name));
    }
}

impl Confirm for TargetSink {
    fn confirm(&mut self, _question: &Question<'_>) -> Result<bool, Refused> {
        Ok(true)
    }
}

/// Runs `work` on every target as the options allow and returns a row per target.
pub async fn run<'t, F, Fut>(
    command: &str,
    targets: &'t [FleetTarget],
    options: &FleetOptions,
    progress: &mut dyn Progress,
    work: F,
) -> FleetReport
where
    F: Fn(&'t FleetTarget, TargetSink) -> Fut,
    Fut: Future<Output = Result<TargetResult, Failure>> + 't,
{
    let started = Instant::now();
    let mut rows: Vec<Option<TargetRow>> = vec![None; targets.len()];
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        match groups.iter_mut().find(|(g, _)| *g == t.group) {
            Some((_, list)) => list.push(i),
            None => groups.push((&t.group, vec![i])),
        }
    }
    let (sender, mut notes) = mpsc::unbounded_channel::<String>();
    progress.fleet_start(targets.len());
    let parallel = options.parallel.max(1);
    let per_server = options.per_server.max(1);
    let mut stopped: Option<String> = None;
    let halt = Arc::new(AtomicBool::new(false));
    for (group, members) in groups {
        if stopped.is_some() {
            break;
        }
        let mut queue: VecDeque<usize> = members.into();
        let mut running = FuturesUnordered::new();
        let mut on_server: HashMap<String, usize> = HashMap::new();
        let mut group_failed = false;
        loop {
            while stopped.is_none() && running.len() < parallel {
                if let Some(signal) = crate::interrupt::raised() {
                    stopped = Some(format!(
                        "interrupted by {signal}: no target started after it"
                    ));
                    break;
                }
                let Some(pos) = queue.iter().position(|&i| {
                    on_server.get(&targets[i].server()).copied().unwrap_or(0) < per_server
                }) else {
                    break;
                };
                let Some(i) = queue.remove(pos) else { break };
                let target = &targets[i];
                *on_server.entry(target.server()).or_default() += 1;
                let sink = TargetSink {
                    name: target.name.clone(),
                    notes: sender.clone(),
                    halt: halt.clone(),
                };
                let job = work(target, sink);
                running.push(async move {
                    let t0 = Instant::now();
                    let result = job.await;
                    (i, result, t0.elapsed().as_millis() as u64)
                });
            }
            let finished = tokio::select! {
                Some(note) = notes.recv() => { progress.note(&note); continue; }
                finished = running.next() => finished,
            };
            let Some((i, result, ms)) = finished else {
                break;
            };
            let target = &targets[i];
            if let Some(n) = on_server.get_mut(&target.server()) {
                *n = n.saturating_sub(1);
            }
            let (state, result, error) = match result {
                Ok(r) => (TargetState::Done, r, None),
                Err(f) if f.halted => (TargetState::Stopped, f.result, Some(f.error)),
                // Cancelled by Ctrl-C/SIGTERM: stopped by the signal, not a failure of its own.
                Err(f) if crate::interrupt::raised().is_some() => {
                    (TargetState::Stopped, f.result, Some(f.error))
                }
                Err(f) => (TargetState::Failed, f.result, Some(f.error)),
            };
            if let (Some(signal), None) = (crate::interrupt::raised(), &stopped) {
                stopped = Some(format!(
                    "interrupted by {signal}: no target started after it, and the running ones were cancelled"
                ));
            }
            if state == TargetState::Failed {
                group_failed = true;
                if options.on_error == OnError::Stop && stopped.is_none() {
                    halt.store(true, Ordering::SeqCst);
                    stopped = Some(format!(
                        "{} failed and on_error is stop: no target started after it, and those running stopped after their current migration",
                        target.name
                    ));
                }
            }
            progress.target_done(&target.name, state == TargetState::Done);
            rows[i] = Some(row(target, state, result, ms, error));
        }
        if group_failed && stopped.is_none() {
            stopped = Some(format!(
                "group {group} had a failure: the groups after it were not started"
            ));
        }
    }
    drop(sender);
    while let Ok(note) = notes.try_recv() {
        progress.note(&note);
    }
    progress.finish();
    let targets = rows
        .into_iter()
        .zip(targets)
        .map(|(row_, t)| {
            row_.unwrap_or_else(|| {
                row(t, TargetState::NotStarted, TargetResult::default(), 0, None)
            })
        })
        .collect();
    FleetReport {
        command: command.into(),
        parallel,
        on_error: options.on_error,
        targets,
        stopped,
        total_ms: started.elapsed().as_millis() as u64,
    }
}

fn row(
    t: &FleetTarget,
    state: TargetState,
    result: TargetResult,
    ms: u64,
    error: Option<String>,
) -> TargetRow {
    TargetRow {
        name: t.name.clone(),
        group: t.group.clone(),
        target: t.label(),
        schema: t.schema.clone(),
        state,
        result,
        ms,
        error,
    }
}

/// Connects to `target` for `application_name` and opens a session on it, in its tenant
/// schema when it has one. A tenant schema's session starts on a connection an earlier
/// tenant of the same database left on this thread, when there is one (see [`pool`]).
pub async fn open<'p>(
    project: &'p Project,
    target: &FleetTarget,
    application_name: &str,
) -> Result<Session<'p>, Failure> {
    let mut params = target.params.clone();
    if params.application_name.is_none() {
        params.application_name = Some(application_name.into());
    }
    let kept = match target.schema {
        Some(_) => pool::take(&params),
        None => None,
    };
    let client = match kept {
        Some(client) => client,
        None => params.connect().await.map_err(Failure::of)?,
    };
    let mut session = Session::new(client, project, params);
    if let Some(schema) = &target.schema {
        session.use_schema(schema).await.map_err(Failure::of)?;
    }
    Ok(session)
}

/// Ends a session that ran without error: a tenant schema's connection is kept for the next
/// tenant of the same database on this thread (reset first); any other is closed.
pub async fn release(session: Session<'_>, target: &FleetTarget) {
    if target.schema.is_some() {
        pool::give_back(session.params, session.client).await;
    }
}

/// An error with its causes, on one line.
pub fn message(e: &(dyn std::error::Error + 'static)) -> String {
    crate::conn::error_chain(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(name: &str, group: &str) -> FleetTarget {
        FleetTarget {
            name: name.into(),
            group: group.into(),
            params: ConnParams::default(),
            schema: None,
        }
    }

    fn options(on_error: OnError) -> FleetOptions {
        FleetOptions {
            parallel: 1,
            per_server: 1,
            on_error,
        }
    }

    async fn fleet(targets: &[FleetTarget], on_error: OnError, failing: &[&str]) -> FleetReport {
        let failing: Vec<String> = failing.iter().map(|s| s.to_string()).collect();
        run(
            "apply",
            targets,
            &options(on_error),
            &mut super::super::NoProgress,
            |t, _sink| {
                let fails = failing.contains(&t.name);
                async move {
                    if fails {
                        Err(Failure::from("boom".to_string()))
                    } else {
                        Ok(TargetResult {
                            after: Some(1),
                            ..TargetResult::default()
                        })
                    }
                }
            },
        )
        .await
    }

    fn states(r: &FleetReport) -> Vec<TargetState> {
        r.targets.iter().map(|t| t.state).collect()
    }

    #[tokio::test]
    async fn a_failed_group_never_lets_the_next_group_start() {
        use TargetState::*;
        // Groups in first-appearance order: canary (a, c) runs before main (b, d).
        let targets = [
            target("a", "canary"),
            target("b", "main"),
            target("c", "canary"),
            target("d", "main"),
        ];
        let r = fleet(&targets, OnError::Continue, &["a"]).await;
        assert_eq!(states(&r), [Failed, NotStarted, Done, NotStarted]);
        assert!(r.stopped.as_deref().unwrap().contains("group canary"));
        let r = fleet(&targets, OnError::Stop, &["a"]).await;
        assert_eq!(states(&r), [Failed, NotStarted, NotStarted, NotStarted]);
        let r = fleet(&targets, OnError::Stop, &[]).await;
        assert_eq!(states(&r), [Done, Done, Done, Done]);
        assert_eq!(r.distribution(), [(Some(1), 4)]);
    }

    #[tokio::test]
    async fn continue_goes_on_within_the_group_and_stop_does_not() {
        use TargetState::*;
        let targets = [target("a", "g"), target("b", "g"), target("c", "g")];
        let r = fleet(&targets, OnError::Continue, &["b"]).await;
        assert_eq!(states(&r), [Done, Failed, Done]);
        assert!(r.has_failures());
        let r = fleet(&targets, OnError::Stop, &["b"]).await;
        assert_eq!(states(&r), [Done, Failed, NotStarted]);
    }
}
