//! Fault tests: killed processes, terminated connections, a restarted server, signals,
//! many writers at once. Bounded in count and time; loopback and Unix sockets only.

use std::process::Stdio;
use std::time::{Duration, Instant};

use strata::local::{Cluster, ClusterOptions};

use crate::support::*;

/// Six migrations, each slow enough that a kill lands inside one of them.
fn slow_project() -> TempProject {
    let mut project = TempProject::new();
    for v in 1..=6 {
        project = project.migration(
            if v <= 3 { 1 } else { 2 },
            v,
            &format!("step{v}"),
            &format!("CREATE TABLE t{v} (id int);\nSELECT pg_sleep(0.08);\nCREATE INDEX t{v}_idx ON t{v} (id);\n"),
            &format!("DROP TABLE t{v};"),
        );
    }
    project
}

/// Waits until no other session works in `db` (a killed client's backend finishes the
/// statement it was given before it notices).
fn wait_idle(db: &TestDb) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let busy = db.scalar(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid()",
            db.name
        ));
        if busy == "0" {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("sessions still busy in {}", db.name);
}

#[test]
fn sigkill_at_random_points_always_leaves_a_migration_boundary() {
    let project = slow_project();
    // The catalog at each boundary, from a reference database.
    let reference = TestDb::new("kill_ref");
    let mut boundaries = vec![reference.catalog()];
    for v in 1..=6 {
        Strata::on(&reference)
            .project(&project)
            .args(["apply", "--to", &v.to_string()])
            .run()
            .success();
        boundaries.push(reference.catalog());
    }
    // A fixed pseudo-random sequence of kill delays (0 to ~700 ms): reproducible.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for run in 0..20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let delay = Duration::from_millis(x % 700);
        let db = TestDb::new(&format!("kill_{run}"));
        let mut child = Strata::on(&db)
            .project(&project)
            .args(["apply"])
            .command()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        wait_idle(&db);
        let recorded: Vec<i64> = if db
            .column("SELECT 1 FROM pg_class WHERE relname = 'schema_migrations'")
            .is_empty()
        {
            Vec::new()
        } else {
            db.recorded()
        };
        let k = recorded.len();
        assert_eq!(
            recorded,
            (1..=k as i64).collect::<Vec<_>>(),
            "run {run}: history is a prefix"
        );
        assert_eq!(
            db.catalog(),
            boundaries[k],
            "run {run} ({delay:?}): objects match the history at version {k}"
        );
        Strata::on(&db)
            .project(&project)
            .args(["apply"])
            .run()
            .success();
        assert_eq!(
            db.catalog(),
            boundaries[6],
            "run {run}: a second apply finishes the job"
        );
    }
}

#[test]
fn a_terminated_connection_mid_migration_is_a_clear_error_with_nothing_half_applied() {
    let db = TestDb::new("terminate");
    let project = TempProject::new()
        .migration(
            1,
            1,
            "first",
            "CREATE TABLE first_t (id int);",
            "DROP TABLE first_t;",
        )
        .migration(
            1,
            2,
            "slow",
            "CREATE TABLE slow_t (id int);\nSELECT pg_sleep(30);\n",
            "DROP TABLE slow_t;",
        );
    let child = Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = wait_for_query(&db, "pg_sleep(30)");
    assert_eq!(
        db.scalar(&format!(
            "SELECT application_name FROM pg_stat_activity WHERE pid = {pid}"
        )),
        "strata apply",
        "a DBA sees strata, and no password, in pg_stat_activity"
    );
    db.execute(&format!("SELECT pg_terminate_backend({pid})"));
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("2_slow"), "{stderr}");
    assert!(
        stderr.contains("terminating connection due to administrator command")
            || stderr.contains("connection closed"),
        "{stderr}"
    );
    wait_idle(&db);
    assert_eq!(db.recorded(), vec![1]);
    assert_eq!(db.tables(), vec!["first_t"]);
}

#[test]
fn sigterm_cancels_the_running_migration_and_frees_the_lock_at_once() {
    let db = TestDb::new("sigterm");
    let project = TempProject::new().migration(
        1,
        1,
        "slow",
        "CREATE TABLE slow_t (id int);\nSELECT pg_sleep(60);\n",
        "DROP TABLE slow_t;",
    );
    let child = Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .command()
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_query(&db, "pg_sleep(60)");
    // SAFETY: sending SIGTERM to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let t0 = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted by SIGTERM"));
    // Nothing of the migration stayed, and the lock is free well before the sleep would end.
    let quick = Strata::on(&db)
        .project(&project)
        .args(["status", "--json"])
        .run();
    quick.success();
    assert!(db.tables().is_empty());
    let project2 = TempProject::new().migration(
        1,
        1,
        "slow",
        "CREATE TABLE slow_t (id int);",
        "DROP TABLE slow_t;",
    );
    Strata::on(&db)
        .project(&project2)
        .args(["apply", "--lock-timeout", "5s"])
        .run()
        .success();
    assert!(
        t0.elapsed() < Duration::from_secs(20),
        "lock freed promptly: {:?}",
        t0.elapsed()
    );
}

#[test]
fn eight_concurrent_applies_on_an_empty_database_apply_each_migration_once() {
    let db = TestDb::new("eight");
    let mut project = TempProject::new().migration(
        1,
        1,
        "log",
        "CREATE TABLE log (v int NOT NULL);\nINSERT INTO log VALUES (1);",
        "DROP TABLE log;",
    );
    for v in 2..=8 {
        project = project.migration(
            1,
            v,
            &format!("m{v}"),
            &format!("INSERT INTO log VALUES ({v});\nSELECT pg_sleep(0.05);"),
            "SELECT 1;",
        );
    }
    run_concurrently(&db, &project, 8, &["apply"]);
    assert_eq!(
        db.column("SELECT v || ':' || count(*) FROM log GROUP BY v ORDER BY v"),
        (1..=8).map(|v| format!("{v}:1")).collect::<Vec<_>>()
    );
}

#[test]
fn a_restarted_server_between_commands_reconnects_or_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let cluster = Cluster::at(dir.path().join("pg"), ClusterOptions::default());
    cluster.start().unwrap();
    let url = cluster.params("postgres").to_url();
    let project = sample_project();
    let on = |args: &[&str]| {
        Strata::bare()
            .project(&project)
            .env("DATABASE_URL", &url)
            .args(args.iter().copied())
            .run()
    };
    on(&["apply", "--to", "2"]).success();
    cluster.stop().unwrap();
    on(&["status"]).one_line_error("could not connect to postgres://postgres@/postgres?host=");
    cluster.start().unwrap();
    on(&["apply"]).success().stdout_has("5 applied");
    cluster.destroy().unwrap();
}

#[test]
fn sigterm_during_a_no_transaction_migration_says_what_took_effect_and_what_is_left() {
    let db = TestDb::new("sigterm_notx");
    let project = TempProject::new().migration(
        1,
        1,
        "concurrent",
        "-- strata:no-transaction\n\
         CREATE TABLE notx_t AS SELECT g FROM generate_series(1, 400) g;\n\
         CREATE FUNCTION notx_slow(int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.05); RETURN $1; END $$;\n\
         CREATE INDEX CONCURRENTLY notx_slow_idx ON notx_t (notx_slow(g));\n",
        "DROP TABLE notx_t;\nDROP FUNCTION notx_slow(int);\n",
    );
    let child = Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .command()
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_query(&db, "CREATE INDEX CONCURRENTLY notx_slow_idx");
    // SAFETY: sending SIGTERM to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "interrupted by SIGTERM",
        "statements 1 to 2 of 3 took effect and were NOT undone",
        "records it as partial",
        "Left INVALID: notx_slow_idx (drop with: DROP INDEX CONCURRENTLY notx_slow_idx;)",
    ] {
        assert!(stderr.contains(needle), "'{needle}' not in:\n{stderr}");
    }
    assert!(!stderr.contains("rolled back"), "{stderr}");
    // The catalog and the history agree with what it said.
    wait_idle(&db);
    assert_eq!(
        db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'notx_slow_idx'::regclass"),
        "f"
    );
    assert_eq!(
        db.scalar("SELECT statements_done FROM schema_migrations WHERE version = 1"),
        "2"
    );
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .assert_code(2)
        .stdout_has("partial: failed at statement 3");
}
