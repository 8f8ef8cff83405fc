//! `check`: proves that live data keeps every constraint and invariant the schema relies
//! on. Checks come from the live catalog (CHECK and FOREIGN KEY constraints re-evaluated
//! over all rows, NOT NULL columns, unique indexes, invalid indexes) and from invariants
//! the project declares (SQL returning violating rows, with a severity and an optional fix).
//! Each check is one set-based query; they run concurrently over a small pool.

mod concurrent;
pub mod declared;
pub mod derive;
mod scan;

use std::sync::Arc;
use std::time::Instant;

use futures_util::TryStreamExt;
use serde::Serialize;
use tokio::sync::Mutex;
use tokio_postgres::{Client, SimpleQueryMessage};

use crate::conn::ConnParams;
use crate::ops::{EngineError, Session, Timeouts};

/// Why `check` could not run.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The declared invariants are malformed.
    #[error("{0}")]
    BadSpec(String),
    /// `--only` names no check.
    #[error("--only {0}: no check has that name (see `strata check --list`)")]
    UnknownCheck(String),
    /// Introspection failed.
    #[error(transparent)]
    Introspect(#[from] crate::introspect::IntrospectError),
    /// A check task stopped without a result (it panicked or was cancelled).
    #[error("a check task failed: {0}")]
    Task(#[source] tokio::task::JoinError),
    /// Connecting the pool failed.
    #[error(transparent)]
    Connect(#[from] crate::conn::ConnectError),
    /// The engine (lock) failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The fix transaction itself failed; nothing was changed.
    #[error("--fix failed, nothing was changed: {check}: {}", crate::conn::describe_pg_error(.source))]
    Fix {
        check: String,
        #[source]
        source: tokio_postgres::Error,
    },
}

/// Where a check comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Derived from the live catalog.
    Catalog,
    /// Declared by the project.
    Declared,
}

/// How much a failing check matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the run (exit 3).
    #[default]
    Error,
    /// Reported, never fails the run.
    Warning,
}

/// One check to run.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub source: Source,
    pub severity: Severity,
    pub description: String,
    /// Returns the violating rows; the first columns identify them.
    pub sql: String,
    /// Repairs the violations, when they can be repaired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The table a catalog check scans (for scheduling the biggest first).
    #[serde(skip)]
    pub table: Option<String>,
    /// For a catalog check that is one scan of `table` (`SELECT … FROM table t WHERE
    /// filter`): the condition, so the checks of one table share one scan (see
    /// [`shared_scan`]).
    #[serde(skip)]
    pub filter: Option<String>,
    /// For a foreign-key check whose columns lead an index of the table: the referenced
    /// table and a count of the orphans that reads only key columns. Both sides can then be
    /// read in key order from their indexes alone (a merge anti-join of two index-only
    /// scans, several times faster than hashing the parent), which the check does first
    /// when both tables' visibility maps are mostly set (see [`scan::count_in_key_order`]);
    /// cleared otherwise.
    #[serde(skip)]
    pub merge_with: Option<KeyOrder>,
}

/// See [`Check::merge_with`].
#[derive(Debug, Clone)]
pub struct KeyOrder {
    pub referenced: String,
    /// `SELECT count(*) FROM table t WHERE <orphan>`.
    pub count: String,
}

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No violating rows.
    Ok,
    /// Violations of an error-severity check.
    Failed,
    /// Violations of a warning-severity check.
    Warning,
    /// Violations repaired by `--fix` (the re-run found none).
    Fixed,
    /// The check's query failed.
    Error,
}

/// The result of one check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub name: String,
    pub source: Source,
    pub severity: Severity,
    pub status: Status,
    /// Violating rows found (before any fix).
    pub violations: i64,
    /// A few violating rows, as text.
    pub samples: Vec<String>,
    pub ms: u64,
    /// Rows the fix changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_rows: Option<u64>,
    /// Violations left after the fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<i64>,
    /// Failing, and no fix exists: a person must look.
    pub needs_person: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Counts by outcome.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub checks: usize,
    pub ok: usize,
    pub failed: usize,
    pub warnings: usize,
    pub fixed: usize,
    pub errors: usize,
    pub needs_person: usize,
}

/// The whole result.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub database: String,
    pub jobs: usize,
    pub checks: Vec<CheckResult>,
    pub summary: Summary,
    pub total_ms: u64,
    /// True when the database is a standby (checks read; nothing could be fixed).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub standby: bool,
}

impl CheckReport {
    /// An error-severity check still fails.
    pub fn has_violations(&self) -> bool {
        self.summary.failed > 0
    }
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Only checks whose name matches one of these (exact, or a prefix ending in `*`).
    pub only: Vec<String>,
    pub fix: bool,
    pub jobs: usize,
}

fn selected(name: &str, only: &[String]) -> bool {
    only.is_empty()
        || only.iter().any(|o| match o.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == o,
        })
}

/// Every check of the project against the live database: derived from its catalog, then
/// declared.
pub async fn plan(session: &Session<'_>) -> Result<Vec<Check>, CheckError> {
    let settings = &session.project.config.settings;
    let introspection = crate::ops::consistent::introspect_live(
        session,
        &crate::introspect::IntrospectOptions {
            history_schema: settings.history_schema.clone(),
            history_table: settings.history_table.clone(),
            privileges: false,
            dependencies: true,
        },
    )
    .await?;
    let mut checks = derive::from_catalog(&introspection.model);
    checks.extend(declared::load(session.project)?);
    Ok(checks)
}

/// Runs the checks (and fixes, when asked).
pub async fn check(
    session: &Session<'_>,
    options: &CheckOptions,
    timeouts: &Timeouts,
) -> Result<CheckReport, CheckError> {
    let started = Instant::now();
    let standby = session.in_recovery().await?;
    if options.fix && standby {
        session.require_primary("check --fix").await?;
    }
    // The pool connects where the session did.
    let params = &session.params;
    let all = plan(session).await?;
    for o in &options.only {
        if !all
            .iter()
            .any(|c| selected(&c.name, std::slice::from_ref(o)))
        {
            return Err(CheckError::UnknownCheck(o.clone()));
        }
    }
    let checks: Vec<Check> = all
        .into_iter()
        .filter(|c| selected(&c.name, &options.only))
        .collect();
    let jobs = options.jobs.max(1).min(checks.len().max(1));
    let mut checks = checks;
    let order = biggest_first(&session.client, &mut checks).await;
    let mut results = run_all(params, &checks, &order, jobs).await?;

    if options.fix {
        let to_fix: Vec<(usize, &Check)> = checks
            .iter()
            .enumerate()
            .filter(|(i, c)| c.fix.is_some() && results[*i].violations > 0)
            .collect();
        if !to_fix.is_empty() {
            let lock = session.begin_writing(timeouts).await?;
            for (_, check) in &to_fix {
                for note in concurrent::strong_lock_notes(&session.client, check).await {
                    crate::notices::warn(note);
                }
            }
            // Fixes that cannot run in a transaction (REINDEX ... CONCURRENTLY) run after
            // the fix transaction, statement by statement.
            let (outside, inside): (Vec<_>, Vec<_>) = to_fix
                .iter()
                .enumerate()
                .partition(|(_, (_, c))| runs_outside_transaction(c));
            let inside_checks: Vec<(usize, &Check)> = inside.iter().map(|(_, f)| **f).collect();
            let mut fixed: Vec<Option<Result<u64, String>>> = vec![None; to_fix.len()];
            let result = match apply_fixes(&session.client, &inside_checks).await {
                Ok(outcomes) => {
                    for ((k, _), outcome) in inside.iter().zip(outcomes) {
                        fixed[*k] = Some(outcome);
                    }
                    for (k, (_, check)) in &outside {
                        fixed[*k] = Some(
                            concurrent::apply(&session.client, check, timeouts.ddl_retry).await,
                        );
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            };
            session.end_writing(lock).await;
            result?;
            let fixed: Vec<Result<u64, String>> = fixed.into_iter().flatten().collect();
            let rerun: Vec<Check> = to_fix.iter().map(|(_, c)| (*c).clone()).collect();
            let rerun_order: Vec<usize> = (0..rerun.len()).collect();
            let after = run_all(params, &rerun, &rerun_order, jobs).await?;
            for ((i, _), (outcome, again)) in to_fix.iter().zip(fixed.into_iter().zip(after)) {
                let r = &mut results[*i];
                match outcome {
                    Ok(rows) => r.fixed_rows = Some(rows),
                    Err(message) => {
                        r.error = Some(format!("the fix failed and was undone: {message}"))
                    }
                }
                r.remaining = Some(again.violations);
                if again.status == Status::Ok {
                    r.status = Status::Fixed;
                }
            }
        }
    }
    let mut summary = Summary {
        checks: results.len(),
        ..Summary::default()
    };
    for (r, c) in results.iter_mut().zip(&checks) {
        r.needs_person = matches!(r.status, Status::Failed | Status::Warning) && c.fix.is_none();
        match r.status {
            Status::Ok => summary.ok += 1,
            Status::Failed => summary.failed += 1,
            Status::Warning => summary.warnings += 1,
            Status::Fixed => summary.fixed += 1,
            Status::Error => summary.errors += 1,
        }
        summary.needs_person += usize::from(r.needs_person);
    }
    Ok(CheckReport {
        database: session.target.clone(),
        jobs,
        checks: results,
        summary,
        total_ms: started.elapsed().as_millis() as u64,
        standby,
    })
}

/// The order to start checks in: longest first (by the rows of the table each scans;
/// declared invariants, which join and recount, before all), so the pool's workers finish
/// together instead of one waiting on a big check started last. Also clears `merge_with`
/// of the checks whose tables are not settled (see [`in_key_order`]).
async fn biggest_first(client: &Client, checks: &mut [Check]) -> Vec<usize> {
    let stats: std::collections::HashMap<String, (f64, bool)> = client
        .query_typed(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), greatest(c.reltuples, 0)::float8,
                    c.relallvisible >= 0.9 * c.relpages
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p')",
            &[],
        )
        .await
        .map(|rows| rows.iter().map(|r| (r.get(0), (r.get(1), r.get(2)))).collect())
        .unwrap_or_default();
    for c in checks.iter_mut() {
        let settled = |t: Option<&String>| t.and_then(|t| stats.get(t)).is_some_and(|s| s.1);
        if !(settled(c.table.as_ref()) && settled(c.merge_with.as_ref().map(|k| &k.referenced))) {
            c.merge_with = None;
        }
    }
    let biggest = stats.values().map(|s| s.0).fold(0.0, f64::max);
    let weight = |c: &Check| match (&c.source, &c.table) {
        (Source::Declared, _) => 2.0 * biggest + 1.0,
        (_, Some(t)) => stats.get(t).map_or(0.0, |s| s.0),
        _ => 0.0,
    };
    let mut order: Vec<usize> = (0..checks.len()).collect();
    order.sort_by(|a, b| weight(&checks[*b]).total_cmp(&weight(&checks[*a])));
    order
}

/// Runs `checks` over a pool of `jobs` connections, starting them in `order`; results in
/// the checks' own order.
async fn run_all(
    params: &ConnParams,
    checks: &[Check],
    order: &[usize],
    jobs: usize,
) -> Result<Vec<CheckResult>, CheckError> {
    type Unit = Vec<(usize, Check)>;
    let queue: Arc<Mutex<std::vec::IntoIter<Unit>>> = Arc::new(Mutex::new(
        scan::units(checks, order)
            .into_iter()
            .map(|unit| unit.into_iter().map(|i| (i, checks[i].clone())).collect())
            .collect::<Vec<Unit>>()
            .into_iter(),
    ));
    let mut clients = Vec::with_capacity(jobs);
    for _ in 0..jobs {
        let mut p = params.clone();
        p.application_name = Some("strata check".into());
        clients.push(p.connect().await?);
    }
    // One check per core already fills the machine; below that, let PostgreSQL fill it.
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let parallel_workers = cores.saturating_sub(jobs).min(2);
    let mut tasks = Vec::new();
    for client in clients {
        let queue = queue.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let next = queue.lock().await.next();
                let Some(unit) = next else { break };
                out.extend(scan::run_unit(&client, unit, parallel_workers).await);
            }
            out
        }));
    }
    let mut results: Vec<Option<CheckResult>> = vec![None; checks.len()];
    for t in tasks {
        let done = t.await.map_err(CheckError::Task)?;
        for (i, r) in done {
            results[i] = Some(r);
        }
    }
    Ok(results.into_iter().flatten().collect())
}

/// True when a fix cannot run inside a transaction (`... CONCURRENTLY`).
fn runs_outside_transaction(check: &Check) -> bool {
    check.fix.as_deref().is_some_and(|fix| {
        crate::sql_split::strip_cosmetics(fix)
            .to_uppercase()
            .contains(" CONCURRENTLY")
    })
}

/// Attempts of a check query chosen as a deadlock victim or failed on serialization.
const TRANSIENT_ATTEMPTS: u32 = 3;

/// Runs a check's batch, again (at most [`TRANSIENT_ATTEMPTS`] times) when it was the
/// victim of a deadlock or a serialization failure with a concurrent writer (a seed that
/// takes keys off, a migration): nothing a read did is lost by trying again.
async fn run_retrying(
    client: &Client,
    sql: &str,
) -> Result<Vec<SimpleQueryMessage>, tokio_postgres::Error> {
    use tokio_postgres::error::SqlState;
    let mut attempt = 1;
    loop {
        match client.simple_query(sql).await {
            Err(e)
                if attempt < TRANSIENT_ATTEMPTS
                    && matches!(
                        e.code(),
                        Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED
                            || *c == SqlState::T_R_SERIALIZATION_FAILURE
                    ) =>
            {
                let _ = client.batch_execute("ROLLBACK").await;
                tokio::time::sleep(std::time::Duration::from_millis(100 << attempt)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Settings of each check's read-only transaction: no JIT compilation, which costs tens of
/// milliseconds per query and pays off only for queries far longer than a check (measured
/// at scale 1: 6.0–6.3 s without it, 6.4–6.8 s with it; a larger `work_mem` was slower,
/// 7.6–7.8 s, and is left to the server).
const CHECK_SETTINGS: &str = "SET LOCAL jit = off;";

/// Runs one check: a count and a few samples of its violating rows, in a read-only
/// transaction so a declared query can never write.
///
/// `parallel_workers` caps PostgreSQL's own parallel workers per query: with several checks
/// running at once, the pool already keeps the cores busy, and more processes than cores
/// only add switching.
async fn run_one(client: &Client, check: &Check, parallel_workers: usize) -> CheckResult {
    let t0 = Instant::now();
    if let Some(order) = &check.merge_with {
        if scan::count_in_key_order(client, order, parallel_workers).await == Some(0) {
            return scan::clean(check, t0.elapsed().as_millis() as u64);
        }
    }
    let sql = format!(
        "BEGIN READ ONLY;
         SET LOCAL max_parallel_workers_per_gather = {};
         {CHECK_SETTINGS}
         WITH violations AS MATERIALIZED ({})
         SELECT (SELECT count(*) FROM violations)::text,
                (SELECT string_agg(s.v, E'\\x1f') FROM (SELECT violations::text AS v FROM violations LIMIT 5) s);
         COMMIT;",
        parallel_workers,
        check.sql.trim().trim_end_matches(';')
    );
    let mut result = scan::clean(check, 0);
    match run_retrying(client, &sql).await {
        Ok(messages) => {
            for m in messages {
                // The count and samples: the one row of two columns (settings rows have one).
                if let SimpleQueryMessage::Row(row) = m {
                    if row.len() != 2 {
                        continue;
                    }
                    result.violations = row.get(0).and_then(|v| v.parse().ok()).unwrap_or(0);
                    result.samples = row
                        .get(1)
                        .map(|s| s.split('\u{1f}').map(str::to_string).collect())
                        .unwrap_or_default();
                }
            }
            if result.violations > 0 {
                result.status = match check.severity {
                    Severity::Error => Status::Failed,
                    Severity::Warning => Status::Warning,
                };
            }
        }
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            result.status = Status::Error;
            result.error = Some(crate::conn::describe_pg_error(&e));
        }
    }
    result.ms = t0.elapsed().as_millis() as u64;
    result
}

/// Runs every fix in one transaction, each behind a savepoint: a fix that fails is undone
/// alone (its check stays failed, with the error) and the others still commit. Returns the
/// rows each fix changed, or its error.
async fn apply_fixes(
    client: &Client,
    to_fix: &[(usize, &Check)],
) -> Result<Vec<Result<u64, String>>, CheckError> {
    let tx_err = |step: &str| {
        let step = step.to_string();
        move |source: tokio_postgres::Error| CheckError::Fix {
            check: step,
            source,
        }
    };
    client
        .batch_execute("BEGIN")
        .await
        .map_err(tx_err("BEGIN"))?;
    let mut outcomes = Vec::new();
    for (_, check) in to_fix {
        let fix = check.fix.as_deref().unwrap_or_default();
        client
            .batch_execute("SAVEPOINT strata_fix")
            .await
            .map_err(tx_err("SAVEPOINT"))?;
        let result = async {
            let stream = client.simple_query_raw(fix).await?;
            futures_util::pin_mut!(stream);
            let mut rows = 0u64;
            while let Some(m) = stream.try_next().await? {
                if let SimpleQueryMessage::CommandComplete(n) = m {
                    rows += n;
                }
            }
            Ok::<u64, tokio_postgres::Error>(rows)
        }
        .await;
        match result {
            Ok(rows) => {
                client
                    .batch_execute("RELEASE SAVEPOINT strata_fix")
                    .await
                    .map_err(tx_err("RELEASE SAVEPOINT"))?;
                outcomes.push(Ok(rows));
            }
            Err(e) => {
                client
                    .batch_execute("ROLLBACK TO SAVEPOINT strata_fix")
                    .await
                    .map_err(tx_err("ROLLBACK TO SAVEPOINT"))?;
                outcomes.push(Err(crate::conn::describe_pg_error(&e)));
            }
        }
    }
    client
        .batch_execute("COMMIT")
        .await
        .map_err(tx_err("COMMIT"))?;
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_matches_names_and_prefixes() {
        let only = vec!["fk:*".to_string(), "posts_likes_count".to_string()];
        assert!(selected("fk:public.posts.posts_user_id_fkey", &only));
        assert!(selected("posts_likes_count", &only));
        assert!(!selected("posts_likes_count_extra", &only));
        assert!(selected("anything", &[]));
    }
}
