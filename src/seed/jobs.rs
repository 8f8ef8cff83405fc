//! `seed --jobs N`: a bulk load over N connections, the way `pg_restore -j` works, for when
//! speed matters more than one transaction.
//!
//! One transaction cannot be shared: a second session sees none of its uncommitted rows or
//! dropped indexes, whatever snapshot it imports (`pg_export_snapshot` hands over only what
//! was committed; the exporting transaction stays in progress for the importer). Only the
//! server's own parallel workers build an index inside the transaction. So with `--jobs`
//! the steps commit one by one: the keys, indexes and foreign keys are taken off and the
//! triggers turned off in one committed transaction; each table spec is copied in its own
//! transaction on the first connection while the others build the keys and indexes of the
//! tables already loaded; the recompute runs once every key is back; the foreign keys are
//! added unchecked and then validated, all connections at once.
//!
//! If a step fails (or a signal arrives), the seeded tables are emptied and everything taken
//! off is put back before the error is reported: the database ends as it was, as after a
//! failed single-transaction run. Only a run killed outright (or a lost connection) can
//! leave rows in place and keys, indexes or foreign keys missing; `strata diff` then names
//! them and prints the SQL that puts them back.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use tokio::sync::Notify;
use tokio_postgres::Client;

use super::deferred::{Build, Deferred};
use super::load::{self, Load};
use super::spec::SeedSpec;
use super::{db, SeedError, SeedReport};
use crate::conn::ConnParams;
use crate::local::quote_qualified;
use crate::ops::Progress;
use crate::ops::Timeouts;

/// Opens `n` more connections to the database `main` is on, with the session's timeouts.
pub(super) async fn connect(
    params: &ConnParams,
    n: usize,
    main: &Client,
    timeouts: &Timeouts,
) -> Result<Vec<Client>, SeedError> {
    // The same server and database: its start time and the database's oid.
    const WHERE: &str = "SELECT pg_postmaster_start_time()::text || ' ' || oid::text FROM pg_database WHERE datname = current_database()";
    let here: String = main
        .query_one(WHERE, &[])
        .await
        .map_err(db("--jobs: identifying the database"))?
        .get(0);
    let mut params = params.clone();
    params
        .application_name
        .get_or_insert_with(|| "strata seed".into());
    let mut helpers = Vec::with_capacity(n);
    for k in 0..n {
        let context = || format!("--jobs: opening connection {} of {}", k + 2, n + 1);
        let client = params.connect().await.map_err(|e| SeedError::Jobs {
            context: context(),
            message: e.to_string(),
        })?;
        let there: String = client
            .query_one(WHERE, &[])
            .await
            .map_err(db(context()))?
            .get(0);
        if there != here {
            return Err(SeedError::Jobs {
                context: context(),
                message: "it reached another server or database than the first connection (several hosts in the connection settings?)".into(),
            });
        }
        client
            .batch_execute(&format!(
                "SET lock_timeout = {}; SET statement_timeout = {}; {MAINTENANCE_WORK_MEM}",
                timeouts.ddl_lock.as_millis(),
                timeouts.statement.as_millis()
            ))
            .await
            .map_err(db(context()))?;
        helpers.push(client);
    }
    Ok(helpers)
}

/// Attempts of one `--jobs` DDL batch that gave up waiting for a lock.
const LOCK_ATTEMPTS: u32 = 8;

/// Runs a DDL batch of a `--jobs` load, again when it gave up waiting for a lock (after a
/// rollback, so a batch in BEGIN … COMMIT starts clean). Each step commits on its own here,
/// so autovacuum wakes on the freshly loaded tables and holds a lock the next ALTER TABLE
/// or CREATE INDEX must wait for; the server cancels it for a waiter only after
/// `deadlock_timeout`, which is as long as the lock timeout strata sets by default.
async fn execute_retrying(client: &Client, sql: &str) -> Result<(), tokio_postgres::Error> {
    let mut attempt = 1;
    loop {
        match client.batch_execute(sql).await {
            Err(e)
                if attempt < LOCK_ATTEMPTS
                    && e.code() == Some(&tokio_postgres::error::SqlState::LOCK_NOT_AVAILABLE) =>
            {
                let _ = client.batch_execute("ROLLBACK").await;
                tokio::time::sleep(std::time::Duration::from_millis(100 << attempt.min(5))).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Turns the seeded tables' triggers back on after a `--jobs` load (`sql` from the caller).
pub(super) async fn triggers_on(client: &Client, sql: &str) -> Result<(), SeedError> {
    execute_retrying(client, sql)
        .await
        .map_err(db("ENABLE TRIGGER USER on the seeded tables"))
}

/// Index builds sort: give them room (never less than the server's setting).
pub(super) const MAINTENANCE_WORK_MEM: &str =
    "SELECT set_config('maintenance_work_mem', '256MB', false)
     WHERE (SELECT setting::bigint FROM pg_settings WHERE name = 'maintenance_work_mem') < 262144";

/// What the builders share.
struct Shared {
    board: Mutex<Board>,
    changed: Notify,
}

struct Board {
    /// Builds whose table is still being loaded, by table.
    waiting: HashMap<u32, Vec<Build>>,
    /// Specs each table still waits for.
    specs_left: HashMap<u32, usize>,
    ready: VecDeque<Build>,
    /// Builds running, by table, and whether one of them needs the table to itself.
    running: HashMap<u32, (usize, bool)>,
    copying: bool,
    failed: Option<SeedError>,
}

impl Board {
    /// The next build that can run now: one that takes an exclusive lock (a key, a CLUSTER
    /// mark) never beside another build of its table, or the two would wait for each other.
    fn next(&mut self) -> Option<Build> {
        let k = self
            .ready
            .iter()
            .position(|b| match self.running.get(&b.table_oid) {
                None | Some((0, _)) => true,
                Some((_, exclusive)) => !exclusive && !b.exclusive,
            })?;
        let build = self.ready.remove(k)?;
        let slot = self.running.entry(build.table_oid).or_insert((0, false));
        slot.0 += 1;
        slot.1 = build.exclusive;
        Some(build)
    }

    /// A table's rows are all in: its builds may start, keys first (those of other tables
    /// still come before its indexes).
    fn table_ready(&mut self, oid: u32) {
        let left = self.specs_left.get_mut(&oid).expect("a seeded table");
        *left -= 1;
        if *left > 0 {
            return;
        }
        let builds = self.waiting.remove(&oid).unwrap_or_default();
        let (keys, others): (Vec<_>, Vec<_>) = builds.into_iter().partition(|b| b.unique);
        let at = self.ready.iter().take_while(|b| b.unique).count();
        for (k, build) in keys.into_iter().enumerate() {
            self.ready.insert(at + k, build);
        }
        self.ready.extend(others);
    }
}

impl Shared {
    fn update<T>(&self, f: impl FnOnce(&mut Board) -> T) -> T {
        let out = f(&mut self.board.lock().expect("the board"));
        self.changed.notify_waiters();
        out
    }

    fn failed(&self) -> bool {
        self.board.lock().expect("the board").failed.is_some()
    }
}

/// Builds keys and indexes as their tables become ready, until none is left.
async fn builder(client: &Client, shared: &Shared) {
    loop {
        let notified = shared.changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let next = {
            let mut b = shared.board.lock().expect("the board");
            if b.failed.is_some() || (!b.copying && b.ready.is_empty()) {
                return;
            }
            b.next()
        };
        let Some(build) = next else {
            notified.await;
            continue;
        };
        let result = execute_retrying(client, &build.sql).await;
        shared.update(|b| {
            if let Some(slot) = b.running.get_mut(&build.table_oid) {
                *slot = (slot.0 - 1, false);
            }
            if let Err(e) = result {
                let context = if build.unique {
                    "adding the primary keys and unique constraints back after the load"
                } else {
                    "building indexes after the load"
                };
                b.failed.get_or_insert(db(context)(e));
            }
        });
    }
}

/// Loads the rows and puts everything back over `main` and `helpers`; see the module.
#[allow(clippy::too_many_arguments)]
pub(super) async fn load(
    main: &Client,
    helpers: &[Client],
    spec: &SeedSpec,
    load: Load,
    deferred: &Deferred,
    recompute: &[(String, &str)],
    report: &mut SeedReport,
    progress: &mut dyn Progress,
) -> Result<(), SeedError> {
    let names: Vec<String> = spec
        .tables
        .iter()
        .map(|t| quote_qualified(&t.name))
        .collect();
    let oids: Vec<u32> = main
        .query_one("SELECT $1::text[]::regclass[]::oid[]", &[&names])
        .await
        .map_err(db("--jobs: reading the seeded tables"))?
        .get(0);
    main.batch_execute(MAINTENANCE_WORK_MEM)
        .await
        .map_err(db("SET maintenance_work_mem"))?;
    let mut board = Board {
        waiting: HashMap::new(),
        specs_left: HashMap::new(),
        ready: VecDeque::new(),
        running: HashMap::new(),
        copying: true,
        failed: None,
    };
    for oid in &oids {
        *board.specs_left.entry(*oid).or_insert(0) += 1;
    }
    for build in deferred.builds() {
        board
            .waiting
            .entry(build.table_oid)
            .or_default()
            .push(build);
    }
    let shared = Shared {
        board: Mutex::new(board),
        changed: Notify::new(),
    };
    let t0 = Instant::now();
    let copied = std::cell::Cell::new(t0);
    let first = async {
        let result = load::copy(
            main,
            spec,
            load,
            report,
            progress,
            &mut |t| shared.update(|b| b.table_ready(oids[t])),
            &|| {
                shared.failed().then(|| SeedError::Jobs {
                    context: "COPY".into(),
                    message: "stopped: another connection failed".into(),
                })
            },
        )
        .await;
        shared.update(|b| {
            b.copying = false;
            if let Err(e) = result {
                b.failed.get_or_insert(e);
            }
        });
        copied.set(Instant::now());
        if !shared.failed() {
            report.phase(
                format!(
                    "generate and COPY (keys and indexes built alongside on {} more connection{})",
                    helpers.len(),
                    if helpers.len() == 1 { "" } else { "s" }
                ),
                t0,
            );
        }
        builder(main, &shared).await;
    };
    let others = futures_util::future::join_all(helpers.iter().map(|c| builder(c, &shared)));
    tokio::join!(first, others);
    if let Some(e) = shared.board.into_inner().expect("the board").failed {
        return Err(e);
    }
    report.phase(
        "keys and indexes still building after the COPY",
        copied.get(),
    );
    // The recompute reads the loaded rows and writes with ON CONFLICT (the keys); after
    // every build, so that its writes never wait for one.
    for (file, sql) in recompute {
        let t = Instant::now();
        if let Err(e) = main
            .batch_execute(&format!("BEGIN;\n{sql}\n;COMMIT;"))
            .await
        {
            let _ = main.batch_execute("ROLLBACK").await;
            return Err(db(format!("seeds/{file}"))(e));
        }
        report.sql_files.push(format!("seeds/{file}"));
        report.phase(format!("seeds/{file}"), t);
    }
    let t = Instant::now();
    validate_foreign_keys(main, helpers, deferred).await?;
    report.phase(
        format!("foreign keys ({} connections)", helpers.len() + 1),
        t,
    );
    Ok(())
}

/// Adds the foreign keys unchecked, then validates them over every connection (never two
/// of the same table at once: they would wait for each other), those of the largest tables
/// first, so that the last one to finish is a short one.
async fn validate_foreign_keys(
    main: &Client,
    helpers: &[Client],
    deferred: &Deferred,
) -> Result<(), SeedError> {
    let sql = deferred.foreign_keys_unchecked_sql();
    if !sql.is_empty() {
        execute_retrying(main, &sql)
            .await
            .map_err(db("adding the foreign keys back after the load"))?;
    }
    let mut todo = deferred.validations();
    let oids: Vec<u32> = todo.iter().map(|(oid, _)| *oid).collect();
    let sizes: HashMap<u32, i64> = main
        .query(
            "SELECT oid, pg_relation_size(oid) FROM pg_class WHERE oid = ANY($1::oid[])",
            &[&oids],
        )
        .await
        .map_err(db("reading the sizes of the tables with foreign keys"))?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    todo.sort_by_key(|(oid, _)| std::cmp::Reverse(sizes.get(oid).copied().unwrap_or(0)));
    let queue = Mutex::new(Queue {
        todo: todo.into(),
        busy: HashSet::new(),
        failed: None,
    });
    let changed = Notify::new();
    let all = std::iter::once(main).chain(helpers);
    futures_util::future::join_all(all.map(|c| validator(c, &queue, &changed))).await;
    match queue.into_inner().expect("the queue").failed {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Foreign keys to validate.
struct Queue {
    todo: VecDeque<(u32, String)>,
    /// Tables with a validation running.
    busy: HashSet<u32>,
    failed: Option<SeedError>,
}

async fn validator(client: &Client, queue: &Mutex<Queue>, changed: &Notify) {
    loop {
        let notified = changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let next = {
            let mut q = queue.lock().expect("the queue");
            if q.failed.is_some() || q.todo.is_empty() {
                return;
            }
            let free = q.todo.iter().position(|(oid, _)| !q.busy.contains(oid));
            let next = free.and_then(|k| q.todo.remove(k));
            if let Some((oid, _)) = &next {
                q.busy.insert(*oid);
            }
            next
        };
        let Some((oid, sql)) = next else {
            notified.await;
            continue;
        };
        let result = execute_retrying(client, &sql).await;
        {
            let mut q = queue.lock().expect("the queue");
            q.busy.remove(&oid);
            if let Err(e) = result {
                q.failed
                    .get_or_insert(db("checking foreign keys after the load")(e));
            }
        }
        changed.notify_waiters();
    }
}

/// After a failed `--jobs` load: empties the seeded tables, puts back what was taken off and
/// turns the triggers on again, in one transaction; returns the error to report.
pub(super) async fn put_back(
    main: &Client,
    spec: &SeedSpec,
    deferred: &Deferred,
    error: SeedError,
) -> SeedError {
    let result = async {
        let missing = deferred.missing_sql(main).await?;
        let tables: Vec<String> = spec
            .reset_tables()
            .iter()
            .map(|t| quote_qualified(t))
            .collect();
        let triggers: String = spec
            .tables
            .iter()
            .map(|t| quote_qualified(&t.name))
            .collect::<std::collections::BTreeSet<_>>()
            .iter()
            .map(|t| format!("ALTER TABLE {t} ENABLE TRIGGER USER;\n"))
            .collect();
        let sql = format!(
            "BEGIN;\nTRUNCATE {};\n{missing}{triggers}COMMIT;",
            tables.join(", ")
        );
        execute_retrying(main, &sql)
            .await
            .map_err(db("putting the seeded tables back"))
    }
    .await;
    match result {
        Ok(()) => SeedError::JobsFailed {
            error: Box::new(error),
            state:
                "the seeded tables were emptied and their keys, indexes and foreign keys put back"
                    .into(),
        },
        Err(e) => {
            let _ = main.batch_execute("ROLLBACK").await;
            SeedError::JobsFailed {
                error: Box::new(error),
                state: format!("putting the tables back failed too ({e}): rows may remain and keys, indexes or foreign keys may be missing; `strata diff` shows which"),
            }
        }
    }
}
