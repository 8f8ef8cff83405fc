//! A live, busy database: migration DDL that waits behind a long transaction gives way to
//! the application's queries (short `lock_timeout`), is retried with backoff until the
//! blocker ends, and names the blocker when the retry budget is spent.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::support::*;

/// A project whose migration 1 makes `users` with rows and whose migration 2 is `second`.
fn users_project(second: &str) -> TempProject {
    TempProject::new()
        .migration(
            1,
            1,
            "users",
            "CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL);\nINSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 1000) g;\n",
            "DROP TABLE users;",
        )
        .migration(2, 2, "change", second, "SELECT 1;")
}

/// A session of `db` named `application`, as an application or a report would open one.
fn session(db: &TestDb, application: &str) -> (postgres::Client, i32) {
    let mut client = db.client();
    client
        .batch_execute(&format!("SET application_name = '{application}'"))
        .unwrap();
    let pid: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    (client, pid)
}

/// The application: `SELECT`s on `users` in a loop from its own connection, each timed,
/// until stopped; returns the longest and the count.
struct App {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<(Duration, usize, Vec<String>)>,
}

impl App {
    fn start(db: &TestDb) -> App {
        let stop = Arc::new(AtomicBool::new(false));
        let (mut client, _) = session(db, "app");
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let (mut longest, mut count, mut errors) = (Duration::ZERO, 0, Vec::new());
            while !flag.load(Ordering::SeqCst) {
                let t0 = Instant::now();
                if let Err(e) = client.query("SELECT id, name FROM users WHERE id = 7", &[]) {
                    errors.push(e.to_string());
                }
                longest = longest.max(t0.elapsed());
                count += 1;
                std::thread::sleep(Duration::from_millis(5));
            }
            (longest, count, errors)
        });
        App { stop, thread }
    }

    fn stop(self) -> (Duration, usize, Vec<String>) {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("app thread")
    }
}

fn spawn(db: &TestDb, project: &TempProject, args: &[&str]) -> Child {
    Strata::on(db)
        .project(project)
        .args(args.iter().copied())
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn strata")
}

fn column_exists(db: &TestDb, column: &str) -> bool {
    db.scalar(&format!(
        "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = '{column}' AND NOT attisdropped"
    )) == "1"
}

#[test]
fn ddl_behind_a_long_transaction_gives_way_to_the_application_and_is_retried() {
    let db = TestDb::new("live_ddl_retry");
    let project = users_project("ALTER TABLE users ADD COLUMN note text;\n");
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "1"])
        .run()
        .success();
    // A report holding a share lock on users in an open transaction.
    let (mut blocker, blocker_pid) = session(&db, "long-report");
    blocker
        .batch_execute("BEGIN; SELECT count(*) FROM users;")
        .unwrap();
    let app = App::start(&db);
    let lock_timeout = Duration::from_millis(300);
    let mut child = spawn(
        &db,
        &project,
        &[
            "apply",
            "--ddl-lock-timeout",
            "300ms",
            "--ddl-lock-retries",
            "1000",
            "--ddl-lock-budget",
            "2min",
        ],
    );
    std::thread::sleep(Duration::from_millis(3000));
    assert!(
        child.try_wait().unwrap().is_none(),
        "apply should still be retrying while the report's transaction is open"
    );
    assert!(!column_exists(&db, "note"));
    blocker.batch_execute("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    let (longest, count, errors) = app.stop();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(column_exists(&db, "note"));
    assert_eq!(db.recorded(), vec![1, 2]);
    // Each wait was told, naming who it waited for.
    assert!(stderr.contains("retry 1 of 1000"), "{stderr}");
    assert!(
        stderr.contains(&format!("pid {blocker_pid} (")) && stderr.contains("'long-report'"),
        "{stderr}"
    );
    // The application never waited longer than the lock timeout + 100 ms.
    assert!(errors.is_empty(), "{errors:?}");
    assert!(count > 50, "the application ran only {count} queries");
    assert!(
        longest <= lock_timeout + Duration::from_millis(100),
        "an application query waited {longest:?}"
    );
}

#[test]
fn a_blocker_held_past_the_budget_is_named_and_nothing_is_applied() {
    let db = TestDb::new("live_ddl_budget");
    let project = users_project("ALTER TABLE users ADD COLUMN note text;\n");
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "1"])
        .run()
        .success();
    let (mut blocker, blocker_pid) = session(&db, "nightly-export");
    blocker
        .batch_execute("BEGIN; SELECT count(*) FROM users;")
        .unwrap();
    let t0 = Instant::now();
    let run = Strata::on(&db)
        .project(&project)
        .args([
            "apply",
            "--ddl-lock-timeout",
            "200ms",
            "--ddl-lock-retries",
            "50",
            "--ddl-lock-budget",
            "2s",
        ])
        .run();
    let took = t0.elapsed();
    run.assert_code(1)
        .stderr_has("gave up waiting for locks")
        .stderr_has("the migration was not applied")
        .stderr_has(&format!("blocked by: pid {blocker_pid} ("))
        .stderr_has("application 'nightly-export'")
        .stderr_has("state idle in transaction");
    assert!(took < Duration::from_secs(15), "{took:?}");
    blocker.batch_execute("COMMIT").unwrap();
    assert!(!column_exists(&db, "note"));
    assert_eq!(db.recorded(), vec![1]);
}

#[test]
fn a_concurrent_index_build_that_gave_up_is_dropped_and_built_again() {
    let db = TestDb::new("live_cic_retry");
    let project = users_project(
        "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY users_name ON users (name);\n",
    );
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "1"])
        .run()
        .success();
    // A writer with an open transaction: the concurrent build waits for it.
    let (mut blocker, _) = session(&db, "writer");
    blocker
        .batch_execute("BEGIN; UPDATE users SET name = name WHERE id = 1;")
        .unwrap();
    let child = spawn(
        &db,
        &project,
        &[
            "apply",
            "--ddl-lock-timeout",
            "200ms",
            "--ddl-lock-retries",
            "1000",
            "--ddl-lock-budget",
            "2min",
        ],
    );
    std::thread::sleep(Duration::from_millis(2000));
    blocker.batch_execute("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("dropped the invalid index public.users_name a failed attempt left")
            || stderr.contains("dropped the invalid index users_name a failed attempt left"),
        "{stderr}"
    );
    // One index, valid; nothing invalid left behind.
    assert_eq!(
        db.column("SELECT c.relname || ':' || i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'users'::regclass ORDER BY 1"),
        vec!["users_name:true", "users_pkey:true"]
    );
    assert_eq!(db.recorded(), vec![1, 2]);
}

#[test]
fn a_seed_racing_an_apply_waits_for_it_then_decides_from_what_it_did() {
    // The seed's checkout has the VRSS migrations; the deploy's has one more, which holds
    // strata's lock while it sleeps.
    let db = TestDb::vrss("live_seed_race");
    let seeds_checkout = crate::seed::vrss_project_copy();
    let deploy_checkout = crate::seed::vrss_project_copy();
    let phase = deploy_checkout.path().join("migrations/4_communication");
    std::fs::write(
        phase.join("4900_slow_change.up.sql"),
        "SELECT pg_sleep(3);\nCREATE TABLE slow_change (id int);\n",
    )
    .unwrap();
    std::fs::write(
        phase.join("4900_slow_change.down.sql"),
        "DROP TABLE slow_change;\n",
    )
    .unwrap();
    let apply = Strata::on(&db)
        .project_dir(deploy_checkout.path())
        .args(["apply"])
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_query(&db, "pg_sleep(3)");
    // Before the lock the history looks complete to the seed; under it, it is not.
    let seed = Strata::on(&db)
        .project_dir(seeds_checkout.path())
        .args(["seed", "--profile", "dev"])
        .run();
    let out = apply.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    seed.one_line_error("refusing to seed: the schema is not fully applied (0 pending, 0 modified, 1 unknown, 0 partial migrations)");
    assert_eq!(db.scalar("SELECT count(*) FROM users"), "0");
    assert_eq!(db.scalar("SELECT count(*) FROM subscription_tiers"), "0");
}

/// Runs `args` against `db` (the embedded VRSS project) in a loop until `stop`.
fn churn(db: &TestDb, runs: Vec<Vec<&'static str>>, stop: Arc<AtomicBool>) -> JoinHandle<usize> {
    let url = db.url.clone();
    std::thread::spawn(move || {
        let mut n = 0;
        while !stop.load(Ordering::SeqCst) {
            for args in &runs {
                let _ = Strata::bare()
                    .env("DATABASE_URL", &url)
                    .args(args.iter().copied())
                    .run();
                n += 1;
            }
        }
        n
    })
}

/// A run failed the way a read under concurrent DDL may: the clear error, nothing else.
fn assert_no_internal_error(what: &str, run: &Run, ok_codes: &[i32]) {
    if ok_codes.contains(&run.code) {
        return;
    }
    assert!(
        run.code == 1
            && run
                .stderr
                .contains("DDL ran concurrently with the catalog read"),
        "{what} exited {}: {}{}",
        run.code,
        run.stderr,
        run.stdout
    );
}

#[test]
fn catalog_reads_under_concurrent_ddl_are_consistent_or_say_ddl_ran_concurrently() {
    let db = TestDb::vrss("live_reads");
    let stop = Arc::new(AtomicBool::new(false));
    // Other processes: the last migration rolled back and applied again, and a load seed
    // (which takes keys and indexes off and puts them back in its transaction).
    let ddl = churn(
        &db,
        vec![vec!["rollback", "--yes"], vec!["apply"]],
        stop.clone(),
    );
    let seeds = churn(
        &db,
        vec![vec![
            "seed",
            "--profile",
            "load",
            "--scale",
            "0.01",
            "--reset",
            "--yes",
        ]],
        stop.clone(),
    );
    // 20 runs of each reader, the three readers side by side.
    let readers: Vec<JoinHandle<usize>> = [
        (vec!["diff", "--json"], vec![0, 2]),
        (vec!["check", "--json"], vec![0, 3]),
        (vec!["snapshot", "--output", "-"], vec![0]),
    ]
    .into_iter()
    .map(|(args, ok)| {
        let url = db.url.clone();
        std::thread::spawn(move || {
            let (mut concurrent, mut reread) = (0, 0);
            for _ in 0..20 {
                let run = Strata::bare()
                    .env("DATABASE_URL", &url)
                    .args(args.iter().copied())
                    .run();
                assert_no_internal_error(args[0], &run, &ok);
                reread += run.stderr.matches("reading it again").count();
                if run.code == 1 {
                    concurrent += 1;
                    continue;
                }
                match args[0] {
                    // One moment: a migration rolled back shows as pending exactly when
                    // its objects are missing.
                    "diff" => {
                        let json = run.json();
                        let pending = json["migrations"].as_array().map_or(0, Vec::len);
                        let differences = json["differences"].as_array().map_or(0, Vec::len);
                        assert_eq!(
                            pending == 0,
                            differences == 0,
                            "{pending} migrations not applied, {differences} differences: {json}"
                        );
                    }
                    "check" => {
                        assert_eq!(run.json()["summary"]["errors"], 0, "{}", run.stdout);
                    }
                    _ => {}
                }
            }
            eprintln!("{}: {concurrent} gave up, {reread} reads again", args[0]);
            concurrent
        })
    })
    .collect();
    let concurrent: Vec<usize> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    stop.store(true, Ordering::SeqCst);
    let (ddl_runs, seed_runs) = (ddl.join().unwrap(), seeds.join().unwrap());
    assert!(
        ddl_runs >= 2 && seed_runs >= 1,
        "{ddl_runs} apply/rollback runs, {seed_runs} seeds"
    );
    assert!(
        concurrent.iter().all(|n| *n < 20),
        "every run of a reader gave up: {concurrent:?}"
    );
}

#[test]
fn check_fix_rebuilds_an_invalid_index_concurrently_while_inserts_go_on() {
    let db = TestDb::new("live_reindex");
    // A failed CREATE UNIQUE INDEX CONCURRENTLY leaves big_v invalid; the duplicate goes.
    db.execute(
        "CREATE TABLE big (id bigserial PRIMARY KEY, v bigint NOT NULL, pad text);
         INSERT INTO big (v, pad) SELECT g, repeat('x', 40) FROM generate_series(1, 600000) g;
         INSERT INTO big (v) VALUES (1);
         ANALYZE big;",
    );
    assert!(db
        .client()
        .batch_execute("CREATE UNIQUE INDEX CONCURRENTLY big_v ON big (v)")
        .is_err());
    db.execute("DELETE FROM big WHERE id = 600001");
    let project = TempProject::new();
    // The application inserts all along, each insert timed.
    let stop = Arc::new(AtomicBool::new(false));
    let (mut client, _) = session(&db, "app");
    let flag = stop.clone();
    let inserter = std::thread::spawn(move || {
        let (mut longest, mut count) = (Duration::ZERO, 0u64);
        let mut v = 1_000_000i64;
        while !flag.load(Ordering::SeqCst) {
            let t0 = Instant::now();
            client
                .execute("INSERT INTO big (v) VALUES ($1)", &[&v])
                .expect("insert");
            longest = longest.max(t0.elapsed());
            count += 1;
            v += 1;
            std::thread::sleep(Duration::from_millis(2));
        }
        (longest, count)
    });
    std::thread::sleep(Duration::from_millis(300));
    let run = Strata::on(&db)
        .project(&project)
        .args(["check", "--fix", "--only", "indexes_valid", "--json"])
        .run();
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::SeqCst);
    let (longest, count) = inserter.join().unwrap();
    run.success();
    assert_eq!(run.json()["checks"][0]["status"], "fixed", "{}", run.stdout);
    assert_eq!(
        db.column("SELECT c.relname || ':' || i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'big'::regclass ORDER BY 1"),
        vec!["big_pkey:true", "big_v:true"]
    );
    assert!(count > 20, "only {count} inserts ran");
    assert!(
        longest < Duration::from_millis(100),
        "an insert waited {longest:?} while the index was rebuilt"
    );
}

#[test]
fn a_fix_that_takes_a_strong_lock_on_a_large_table_says_so() {
    let db = TestDb::new("live_fix_lock");
    db.execute(
        "CREATE TABLE big (id bigserial PRIMARY KEY, v bigint NOT NULL);
         INSERT INTO big (v) SELECT g FROM generate_series(1, 120000) g;
         INSERT INTO big (v) VALUES (-1);
         CREATE TABLE small (id int PRIMARY KEY, v bigint NOT NULL);
         INSERT INTO small VALUES (1, -1);
         ANALYZE big; ANALYZE small;",
    );
    let invariant = |table: &str| {
        format!(
            "[[invariants]]\nname = \"{table}_v_not_negative\"\nsql = \"SELECT id FROM {table} WHERE v < 0\"\nfix = \"UPDATE {table} SET v = 0 WHERE v < 0; ALTER TABLE {table} ADD CONSTRAINT {table}_v_check CHECK (v >= 0)\"\n"
        )
    };
    let project =
        TempProject::new().settings(&format!("{}{}", invariant("big"), invariant("small")));
    let run = Strata::on(&db)
        .project(&project)
        .args([
            "check",
            "--fix",
            "--only",
            "big_v_not_negative",
            "--only",
            "small_v_not_negative",
        ])
        .run();
    run.success().stderr_has(
        "takes an ACCESS EXCLUSIVE lock on big (about 120001 rows): reads and writes of it wait until the fix commits",
    );
    assert!(!run.stderr.contains("lock on small"), "{}", run.stderr);
    // Both fixes ran.
    assert_eq!(
        db.column("SELECT conname FROM pg_constraint WHERE contype = 'c' AND conname LIKE '%_v_check' ORDER BY 1"),
        vec!["big_v_check", "small_v_check"]
    );
}

#[test]
fn applying_under_an_application_workload_keeps_lock_waits_under_the_timeout() {
    // The small version of bench/run's "apply under load": 4 connections of strata-load
    // while strata adds a column with a default and an index CONCURRENTLY.
    let db = TestDb::vrss("live_load");
    Strata::on(&db)
        .args(["seed", "--profile", "load", "--scale", "0.005"])
        .run()
        .success();
    let checkout = crate::seed::vrss_project_copy();
    let phase = checkout.path().join("migrations/4_communication");
    for (name, up, down) in [
        (
            "4901_posts_flag",
            "ALTER TABLE posts ADD COLUMN flagged boolean NOT NULL DEFAULT false;\n",
            "ALTER TABLE posts DROP COLUMN flagged;\n",
        ),
        (
            "4902_comments_index",
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY comments_user_created ON comments (user_id, created_at);\n",
            "DROP INDEX comments_user_created;\n",
        ),
    ] {
        std::fs::write(phase.join(format!("{name}.up.sql")), up).unwrap();
        std::fs::write(phase.join(format!("{name}.down.sql")), down).unwrap();
    }
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut load = Command::new(env!("CARGO_BIN_EXE_strata-load"))
        .args(["--clients", "4", "--seconds", "60", "--out"])
        .arg(out.path())
        .env("DATABASE_URL", &db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let applied = Strata::on(&db)
        .project_dir(checkout.path())
        .args(["apply"])
        .run();
    std::thread::sleep(Duration::from_millis(500));
    drop(load.stdin.take());
    let status = load.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut load.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "strata-load: {stderr}");
    applied.success();
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(out.path())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let queries: Vec<&serde_json::Value> = lines.iter().filter(|l| l["kind"] == "query").collect();
    let errors: Vec<&serde_json::Value> = queries
        .iter()
        .copied()
        .filter(|q| !q["error"].is_null())
        .collect();
    let longest_wait = lines
        .iter()
        .filter(|l| l["kind"] == "lockwait")
        .filter_map(|l| l["ms"].as_f64())
        .fold(0.0, f64::max);
    assert!(
        queries.len() > 50,
        "only {} application queries",
        queries.len()
    );
    assert!(errors.is_empty(), "application errors: {errors:?}");
    assert!(
        longest_wait <= 1100.0,
        "an application query waited {longest_wait} ms on strata's locks"
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM pg_index WHERE indexrelid = 'comments_user_created'::regclass AND indisvalid"),
        "1"
    );
}
