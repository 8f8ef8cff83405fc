//! `--trace`: runs migrations statement by statement on a scratch database and records, per
//! statement, the locks its backend holds (`pg_locks`, read before the transaction ends),
//! which tables and indexes got a new `relfilenode` (a rewrite), and how long each lock
//! was held within the migration; then compares that with what the static analysis
//! predicted (a disagreement is a bug in a rule).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use serde::Serialize;
use tokio_postgres::Client;

use super::model::{LockMode, Rewrite};
use super::StatementFacts;

/// A lock one statement was seen to take.
#[derive(Debug, Clone, Serialize)]
pub struct TracedLock {
    /// `schema.name`.
    pub relation: String,
    /// `table`, `index`, `view`, `materialized view`, `sequence`, ...
    pub kind: &'static str,
    pub mode: LockMode,
    /// The relation existed before the migration began.
    pub existing: bool,
    /// From the start of the statement that took it to the end of the migration's
    /// transaction.
    pub held_ms: u64,
}

/// What one statement did.
#[derive(Debug, Clone, Serialize)]
pub struct StatementTrace {
    pub statement: usize,
    pub line: usize,
    pub ms: u64,
    /// New locks taken by this statement (not held before it).
    pub locks: Vec<TracedLock>,
    /// Relations that existed before it and got a new relfilenode.
    pub rewritten: Vec<String>,
    /// The tables (not indexes) among them.
    #[serde(skip)]
    pub rewritten_tables: Vec<String>,
    /// False when the statement had to run outside a transaction, where its locks are
    /// gone by the time they could be read.
    pub locks_observed: bool,
    /// For such a statement: the locks a second session saw its backend hold while it ran
    /// (sampled, so a lock held only for an instant can be missed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sampled_locks: Vec<TracedLock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Strongest mode held on each existing table after the statement (cumulative in the
    /// transaction), for the comparison with the prediction.
    #[serde(skip)]
    pub held_after: BTreeMap<String, LockMode>,
}

/// One traced migration.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationTrace {
    pub file: String,
    pub in_transaction: bool,
    pub statements: Vec<StatementTrace>,
}

/// A static prediction the trace contradicts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Disagreement {
    pub file: String,
    pub statement: usize,
    pub line: usize,
    pub table: String,
    pub predicted: String,
    pub observed: String,
}

/// Everything `--trace` found.
#[derive(Debug, Clone, Serialize, Default)]
pub struct TraceReport {
    /// Where the scratch database was.
    pub scratch: String,
    pub migrations: Vec<MigrationTrace>,
    /// Rewrite and scan rates measured on the scratch database, MB/s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rates_mb_per_s: Option<(f64, f64)>,
    pub disagreements: Vec<Disagreement>,
    pub ms: u64,
}

#[derive(Debug, Clone)]
struct Rel {
    name: String,
    kind: char,
    filenode: i64,
}

type Snapshot = (BTreeMap<i64, Rel>, BTreeSet<(i64, LockMode)>);

/// The user relations (name, kind, relfilenode) and the relation locks this backend holds
/// now, in one round trip.
async fn snapshot(client: &Client) -> Result<Snapshot, tokio_postgres::Error> {
    let rows = client
        .query(
            "SELECT c.oid::int8, n.nspname || '.' || c.relname, c.relkind::text, c.relfilenode::int8, NULL::text
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
             UNION ALL
             SELECT l.relation::int8, NULL, NULL, NULL, l.mode FROM pg_catalog.pg_locks l
             WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted
               AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())",
            &[],
        )
        .await?;
    let mut rels = BTreeMap::new();
    let mut locks = BTreeSet::new();
    for r in &rows {
        let oid: i64 = r.get(0);
        match r.get::<_, Option<String>>(4) {
            Some(mode) => {
                if let Some(mode) = LockMode::from_name(&mode) {
                    locks.insert((oid, mode));
                }
            }
            None => {
                let kind: String = r.get(2);
                rels.insert(
                    oid,
                    Rel {
                        name: r.get(1),
                        kind: kind.chars().next().unwrap_or('?'),
                        filenode: r.get(3),
                    },
                );
            }
        }
    }
    Ok((rels, locks))
}

fn kind_name(kind: char) -> &'static str {
    match kind {
        'r' => "table",
        'p' => "partitioned table",
        'i' | 'I' => "index",
        'v' => "view",
        'm' => "materialized view",
        'S' => "sequence",
        'f' => "foreign table",
        _ => "relation",
    }
}

fn is_table(kind: char) -> bool {
    matches!(kind, 'r' | 'p' | 'm')
}

/// One statement to trace: its text, 1-based number and line, and whether it must run
/// outside a transaction block.
#[derive(Debug, Clone)]
pub struct ToTrace {
    pub sql: String,
    pub statement: usize,
    pub line: usize,
    pub needs_no_transaction: bool,
}

/// The statements of source `source` to trace, with what the static analysis says about
/// running them outside a transaction.
pub fn to_trace(src: &super::SqlSource, source: usize, facts: &[StatementFacts]) -> Vec<ToTrace> {
    src.statements
        .iter()
        .enumerate()
        .map(|(n, s)| ToTrace {
            line: crate::sql_split::line_col_at_byte(&src.sql, s.offset).0,
            needs_no_transaction: facts
                .iter()
                .any(|f| f.source == source && f.index == n + 1 && f.needs_no_transaction),
            sql: s.sql.clone(),
            statement: n + 1,
        })
        .collect()
}

/// Runs a migration's statements on `client`, tracing each. A transactional migration
/// runs in one transaction (committed, or rolled back when `rollback` is set, which the
/// tests use to trace many cases over one schema); a no-transaction one runs each
/// statement in a transaction of its own when it can, bare otherwise.
pub async fn trace_script(
    client: &Client,
    monitor: Option<&Client>,
    file: &str,
    statements: &[ToTrace],
    in_transaction: bool,
    rollback: bool,
) -> Result<MigrationTrace, tokio_postgres::Error> {
    let (before, _) = snapshot(client).await?;
    let pid: i32 = match monitor {
        Some(_) => client
            .query_one("SELECT pg_catalog.pg_backend_pid()", &[])
            .await?
            .get(0),
        None => 0,
    };
    let existing: BTreeSet<i64> = before.keys().copied().collect();
    // Existing relations are named as they were when the migration began (a rename
    // inside it does not change what the prediction calls them).
    let start_names: BTreeMap<i64, String> = before
        .iter()
        .map(|(oid, r)| (*oid, r.name.clone()))
        .collect();
    let mut prev = before;
    let mut out = MigrationTrace {
        file: file.to_string(),
        in_transaction,
        statements: Vec::new(),
    };
    let mut held: BTreeSet<(i64, LockMode)> = BTreeSet::new();
    // (statement index in `out`, lock index) → start instant, for held_ms.
    let mut open: Vec<(usize, usize, Instant)> = Vec::new();
    let end_tx = if rollback { "ROLLBACK" } else { "COMMIT" };
    if in_transaction {
        client.batch_execute("BEGIN").await?;
    }
    for st in statements {
        let own_tx = !in_transaction && !st.needs_no_transaction;
        if own_tx {
            client.batch_execute("BEGIN").await?;
        }
        let t0 = Instant::now();
        let bare = !in_transaction && !own_tx;
        let (result, sampled) = match monitor.filter(|_| bare) {
            Some(m) => run_sampled(client, m, pid, &st.sql).await,
            None => (client.batch_execute(&st.sql).await, BTreeSet::new()),
        };
        let ms = t0.elapsed().as_millis() as u64;
        let mut trace = StatementTrace {
            statement: st.statement,
            line: st.line,
            ms,
            locks: Vec::new(),
            rewritten: Vec::new(),
            rewritten_tables: Vec::new(),
            sampled_locks: Vec::new(),
            locks_observed: in_transaction || own_tx,
            error: None,
            held_after: BTreeMap::new(),
        };
        if let Err(e) = result {
            trace.error = Some(crate::conn::describe_pg_error(&e));
            out.statements.push(trace);
            if in_transaction || own_tx {
                client.batch_execute("ROLLBACK").await?;
            }
            return Ok(out);
        }
        let (now, locks) = snapshot(client).await?;
        for (oid, mode) in &sampled {
            if let Some(rel) = now.get(oid).or_else(|| prev.get(oid)) {
                trace.sampled_locks.push(TracedLock {
                    relation: start_names.get(oid).unwrap_or(&rel.name).clone(),
                    kind: kind_name(rel.kind),
                    mode: *mode,
                    existing: existing.contains(oid),
                    held_ms: ms,
                });
            }
        }
        if trace.locks_observed {
            for (oid, mode) in locks.difference(&held) {
                let Some(rel) = now.get(oid).or_else(|| prev.get(oid)) else {
                    continue;
                };
                trace.locks.push(TracedLock {
                    relation: start_names.get(oid).unwrap_or(&rel.name).clone(),
                    kind: kind_name(rel.kind),
                    mode: *mode,
                    existing: existing.contains(oid),
                    held_ms: 0,
                });
                open.push((out.statements.len(), trace.locks.len() - 1, t0));
            }
            for (oid, mode) in &locks {
                let rel = now.get(oid).or_else(|| prev.get(oid));
                if let (Some(rel), Some(name)) = (rel, start_names.get(oid)) {
                    if is_table(rel.kind) {
                        let e = trace.held_after.entry(name.clone()).or_insert(*mode);
                        *e = (*e).max(*mode);
                    }
                }
            }
            held = locks;
        }
        for (oid, rel) in &now {
            if let Some(old) = prev.get(oid) {
                if old.filenode != rel.filenode && old.filenode != 0 && existing.contains(oid) {
                    let name = start_names.get(oid).unwrap_or(&rel.name).clone();
                    trace.rewritten.push(name.clone());
                    if is_table(rel.kind) {
                        trace.rewritten_tables.push(name);
                    }
                }
            }
        }
        out.statements.push(trace);
        prev = now;
        if own_tx {
            client.batch_execute(end_tx).await?;
            close(&mut out, &mut open);
            held.clear();
        }
    }
    if in_transaction {
        client.batch_execute(end_tx).await?;
        close(&mut out, &mut open);
    }
    Ok(out)
}

/// Runs `sql` on `client` while `monitor` reads the relation locks of backend `pid` over
/// and over; returns the statement's result and every lock seen.
async fn run_sampled(
    client: &Client,
    monitor: &Client,
    pid: i32,
    sql: &str,
) -> (Result<(), tokio_postgres::Error>, BTreeSet<(i64, LockMode)>) {
    let mut seen = BTreeSet::new();
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&pid];
    let statement = client.batch_execute(sql);
    tokio::pin!(statement);
    loop {
        let sample = monitor.query(
            "SELECT relation::int8, mode FROM pg_catalog.pg_locks
             WHERE pid = $1 AND locktype = 'relation' AND granted",
            &params,
        );
        tokio::select! {
            result = &mut statement => return (result, seen),
            rows = sample => {
                if let Ok(rows) = rows {
                    for r in rows {
                        let mode: String = r.get(1);
                        if let Some(mode) = LockMode::from_name(&mode) {
                            seen.insert((r.get::<_, i64>(0), mode));
                        }
                    }
                }
            }
        }
    }
}

fn close(out: &mut MigrationTrace, open: &mut Vec<(usize, usize, Instant)>) {
    for (s, l, t0) in open.drain(..) {
        out.statements[s].locks[l].held_ms = t0.elapsed().as_millis() as u64;
    }
}

/// Compares the predicted facts of a migration's statements with its trace: on every
/// existing table the prediction names, the strongest lock held so far in the transaction
/// must be the one predicted; an existing table locked against writes that the prediction
/// does not name is a miss; a rewrite predicted (not "maybe") must be seen and one seen must
/// be predicted.
pub fn compare(trace: &MigrationTrace, predicted: &[&StatementFacts]) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut cumulative: BTreeMap<String, LockMode> = BTreeMap::new();
    for st in &trace.statements {
        if st.error.is_some() {
            break;
        }
        let Some(facts) = predicted.iter().find(|f| f.index == st.statement) else {
            continue;
        };
        let say = |table: &str, p: String, o: String| Disagreement {
            file: trace.file.clone(),
            statement: st.statement,
            line: st.line,
            table: table.to_string(),
            predicted: p,
            observed: o,
        };
        if !trace.in_transaction {
            cumulative.clear();
        }
        for l in facts.locks.iter().filter(|l| l.existing) {
            let e = cumulative.entry(l.table.clone()).or_insert(l.mode);
            *e = (*e).max(l.mode);
        }
        if st.locks_observed {
            for (table, mode) in &cumulative {
                let seen = st.held_after.get(table);
                if seen != Some(mode) {
                    out.push(say(
                        table,
                        mode.name().into(),
                        seen.map(|m| m.name().to_string())
                            .unwrap_or_else(|| "no lock".into()),
                    ));
                }
            }
            for (table, mode) in &st.held_after {
                if mode.blocks_writes() && !cumulative.contains_key(table) {
                    out.push(say(table, "no lock".into(), mode.name().into()));
                }
            }
        }
        for l in facts.locks.iter().filter(|l| l.existing) {
            let seen = st.rewritten_tables.contains(&l.table);
            match (l.rewrite, seen) {
                (Rewrite::Yes, false) => {
                    out.push(say(&l.table, "rewrite".into(), "no rewrite".into()))
                }
                (Rewrite::No, true) => {
                    out.push(say(&l.table, "no rewrite".into(), "rewrite".into()))
                }
                _ => {}
            }
        }
        for table in &st.rewritten_tables {
            let named = facts
                .locks
                .iter()
                .any(|l| &l.table == table && l.rewrite != Rewrite::No);
            if !named && !facts.locks.iter().any(|l| &l.table == table) {
                out.push(say(table, "no rewrite".into(), "rewrite".into()));
            }
        }
    }
    out
}

/// Measures the rewrite and scan rates of this server on a temporary table (MB/s), for
/// the duration estimates.
pub async fn measure_rates(client: &Client) -> Result<(f64, f64), tokio_postgres::Error> {
    client
        .batch_execute(
            "CREATE TEMP TABLE strata_rate AS
               SELECT g AS id, md5(g::text) AS t FROM pg_catalog.generate_series(1, 50000) g;
             SELECT count(*) FROM strata_rate",
        )
        .await?;
    let bytes: i64 = client
        .query_one("SELECT pg_catalog.pg_relation_size('strata_rate')", &[])
        .await?
        .get(0);
    let mb = bytes as f64 / (1024.0 * 1024.0);
    let t0 = Instant::now();
    client
        .batch_execute("SELECT count(*), max(t) FROM strata_rate")
        .await?;
    let scan = mb / t0.elapsed().as_secs_f64().max(1e-4);
    let t0 = Instant::now();
    client
        .batch_execute("ALTER TABLE strata_rate ALTER COLUMN id TYPE bigint")
        .await?;
    let rewrite = mb / t0.elapsed().as_secs_f64().max(1e-4);
    client.batch_execute("DROP TABLE strata_rate").await?;
    Ok((rewrite, scan))
}
