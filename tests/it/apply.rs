//! apply: ordering, targets, idempotence, failures, no-transaction migrations, dry runs.

use crate::support::*;

#[test]
fn apply_all_then_status_reports_every_migration_applied() {
    let db = TestDb::new("apply_all");
    let project = sample_project();
    let run = Strata::on(&db).project(&project).args(["apply"]).run();
    run.success()
        .stdout_has("5 applied, 0 pending")
        .stdout_has("Applied 5 migrations");
    assert_eq!(db.tables(), vec!["a", "b", "c"]);
    assert_eq!(
        db.column("SELECT viewname FROM pg_views WHERE schemaname = 'public'"),
        vec!["c_notes"]
    );
    assert_eq!(
        db.column("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"),
        vec!["a_touch"]
    );
    // One plain progress line per migration on stderr when there is no terminal.
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.starts_with("strata: applied "))
            .count(),
        5
    );

    let status = Strata::on(&db)
        .project(&project)
        .args(["status", "--json"])
        .run();
    status.success();
    let json = status.json();
    let states: Vec<&str> = json["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, vec!["applied"; 5]);
    assert_eq!(json["summary"]["applied"], 5);
    assert_eq!(json["current_version"], 21);
    // History rows carry checksum, timing and who applied them.
    let by = db.scalar("SELECT applied_by FROM schema_migrations WHERE version = 1");
    assert!(by.starts_with("postgres (strata "), "{by}");
    let checksum = db.scalar("SELECT checksum FROM schema_migrations WHERE version = 10");
    assert_eq!(checksum.len(), 64);
}

#[test]
fn apply_twice_is_a_no_op() {
    let db = TestDb::new("apply_twice");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    let catalog = db.catalog();
    let applied_at = db.column("SELECT applied_at FROM schema_migrations ORDER BY version");
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success()
        .stdout_has("Nothing to apply");
    assert_eq!(db.catalog(), catalog);
    assert_eq!(
        db.column("SELECT applied_at FROM schema_migrations ORDER BY version"),
        applied_at
    );
}

#[test]
fn apply_to_a_version_and_to_the_end_of_a_phase() {
    let db = TestDb::new("apply_targets");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "2"])
        .run()
        .success();
    assert_eq!(db.tables(), vec!["a"]);
    assert_eq!(
        db.column("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"),
        vec!["a_touch"]
    );
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--phase", "2"])
        .run()
        .success();
    assert_eq!(db.tables(), vec!["a", "b"]);
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--phase", "3"])
        .run()
        .success();
    assert_eq!(db.tables(), vec!["a", "b", "c"]);
}

#[test]
fn a_failing_migration_leaves_no_objects_and_no_history_row_and_names_file_and_line() {
    let db = TestDb::new("apply_fail");
    let project = sample_project().migration(
        3,
        22,
        "broken",
        "-- creates d, then fails\nCREATE TABLE d (id int);\nINSERT INTO d VALUES (1);\nSELECT * FROM\n  no_such_table;\n",
        "DROP TABLE d;\n",
    );
    let run = Strata::on(&db).project(&project).args(["apply"]).run();
    run.assert_code(1);
    let path = project.up_path(3, 22, "broken");
    run.stderr_has(&format!("{}:5:3", path.display()))
        .stderr_has("relation \"no_such_table\" does not exist")
        .stderr_has("rolled back")
        .stderr_has("applied before the failure (kept): 1, 2, 10, 20, 21");
    assert!(!db.tables().contains(&"d".to_string()));
    assert_eq!(db.recorded(), vec![1, 2, 10, 20, 21]);
}

#[test]
fn single_transaction_applies_everything_or_nothing() {
    // Success: every migration and its history row, as with per-migration transactions.
    let db = TestDb::new("apply_single_ok");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--single-transaction"])
        .run()
        .success()
        .stdout_has("5 applied, 0 pending");
    assert_eq!(db.tables(), vec!["a", "b", "c"]);
    assert_eq!(db.recorded(), vec![1, 2, 10, 20, 21]);

    // Failure in the last migration: the four before it are rolled back with it.
    let db = TestDb::new("apply_single_fail");
    let project = sample_project().migration(
        3,
        22,
        "broken",
        "-- creates d, then fails\nCREATE TABLE d (id int);\nSELECT * FROM\n  no_such_table;\n",
        "DROP TABLE d;\n",
    );
    let before = db.catalog();
    let run = Strata::on(&db)
        .project(&project)
        .args(["apply", "--single-transaction"])
        .run();
    run.assert_code(1)
        .stderr_has(&format!(
            "{}:4:3",
            project.up_path(3, 22, "broken").display()
        ))
        .stderr_has("no migration of this run took effect");
    assert!(db.tables().is_empty(), "{:?}", db.tables());
    assert_eq!(
        db.column("SELECT typname FROM pg_type WHERE typname = 'mood'"),
        Vec::<String>::new()
    );
    assert!(db.recorded().is_empty());
    // Nothing but strata's (empty) history table is left.
    let after: Vec<String> = db
        .catalog()
        .into_iter()
        .filter(|l| !l.contains("schema_migrations"))
        .collect();
    assert_eq!(after, before);

    // A no-transaction migration cannot be part of it: refused before anything runs.
    let db = TestDb::new("apply_single_notx");
    let project = TempProject::new()
        .migration(1, 1, "t", "CREATE TABLE t (id int);", "DROP TABLE t;")
        .migration(
            1,
            2,
            "idx",
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);\n",
            "-- strata:no-transaction\nDROP INDEX CONCURRENTLY t_id_idx;\n",
        );
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--single-transaction"])
        .run()
        .one_line_error("--single-transaction cannot apply 2_idx");
    assert!(db.tables().is_empty());
}

#[test]
fn detail_and_hint_of_the_server_error_are_reported() {
    let db = TestDb::new("apply_detail");
    let project = TempProject::new()
        .migration(
            1,
            1,
            "t",
            "CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1), (1);\n",
            "DROP TABLE t;",
        )
        .migration(
            1,
            2,
            "f",
            "SELECT * FROM t WHERE id = 'x'::int;",
            "SELECT 1;",
        );
    let run = Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "1"])
        .run();
    run.assert_code(1)
        .stderr_has("1_t.up.sql:2:1")
        .stderr_has("duplicate key value violates unique constraint")
        .stderr_has("detail: Key (id)=(1) already exists.");
    assert!(db.tables().is_empty());
    assert!(db.recorded().is_empty());
}

#[test]
fn a_no_transaction_migration_runs_outside_a_transaction() {
    let db = TestDb::new("apply_notx");
    let project = TempProject::new()
        .migration(1, 1, "t", "CREATE TABLE t (id int, v int);", "DROP TABLE t;")
        .migration(
            1,
            2,
            "concurrent_indexes",
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);\nCREATE INDEX CONCURRENTLY t_v_idx ON t (v);\n",
            "-- strata:no-transaction\nDROP INDEX CONCURRENTLY t_id_idx;\nDROP INDEX CONCURRENTLY t_v_idx;\n",
        );
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    // CREATE INDEX CONCURRENTLY cannot run inside a transaction block: that both indexes
    // exist and are valid proves the migration ran outside one, statement by statement.
    assert_eq!(
        db.column("SELECT indexrelid::regclass::text || ' ' || indisvalid FROM pg_index WHERE indrelid = 't'::regclass ORDER BY 1"),
        vec!["t_id_idx true", "t_v_idx true"]
    );
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--yes"])
        .run()
        .success();
    assert!(db
        .column("SELECT 1 FROM pg_index WHERE indrelid = 't'::regclass")
        .is_empty());
}

#[test]
fn a_failed_no_transaction_migration_is_recorded_as_partial_and_resumes_when_asked() {
    let db = TestDb::new("apply_notx_fail");
    let project = TempProject::new()
        .migration(1, 1, "t", "CREATE TABLE t (id int, v int);\nINSERT INTO t VALUES (1, 1), (1, 2);", "DROP TABLE t;")
        .migration(
            1,
            2,
            "indexes",
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY t_v_idx ON t (v);\nCREATE UNIQUE INDEX CONCURRENTLY t_id_key ON t (id);\n",
            "-- strata:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS t_id_key;\nDROP INDEX CONCURRENTLY IF EXISTS t_v_idx;\n",
        )
        .migration(1, 3, "after", "CREATE TABLE after_t (id int);", "DROP TABLE after_t;");
    let run = Strata::on(&db).project(&project).args(["apply"]).run();
    run.assert_code(1)
        .stderr_has("2_indexes.up.sql:3:1")
        .stderr_has("statements 1 to 1 of 2 took effect and were NOT undone")
        .stderr_has("Left INVALID: t_id_key (drop with: DROP INDEX CONCURRENTLY t_id_key;)")
        .stderr_has("strata apply --resume");
    // The first index exists; the second was left invalid by the failed CONCURRENTLY build.
    let indexes = "SELECT indexrelid::regclass::text || ' ' || indisvalid FROM pg_index WHERE indrelid = 't'::regclass ORDER BY 1";
    assert_eq!(db.column(indexes), vec!["t_id_key false", "t_v_idx true"]);
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .assert_code(2)
        .stdout_has("partial: failed at statement 2");
    // apply will not go past it unasked, and names the invalid index.
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .one_line_error("stopped after statement 1 of 2")
        .stderr_has("DROP INDEX CONCURRENTLY t_id_key;");
    assert!(!db.tables().contains(&"after_t".to_string()));
    // Fix the data and the invalid index by hand, then --resume runs statement 2 on.
    db.execute("DELETE FROM t WHERE v = 2; DROP INDEX t_id_key;");
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--resume"])
        .run()
        .success()
        .stderr_has("resuming 2_indexes at statement 2");
    assert_eq!(db.column(indexes), vec!["t_id_key true", "t_v_idx true"]);
    assert!(db.tables().contains(&"after_t".to_string()));
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .success();
}

#[test]
fn repair_clears_a_partial_run_so_apply_starts_it_over() {
    let db = TestDb::new("apply_notx_repair");
    let project = TempProject::new()
        .migration(1, 1, "t", "CREATE TABLE t (id int, v int);\nINSERT INTO t VALUES (1, 1), (1, 2);", "DROP TABLE t;")
        .migration(
            1,
            2,
            "indexes",
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY t_v_idx ON t (v);\nCREATE UNIQUE INDEX CONCURRENTLY t_id_key ON t (id);\n",
            "-- strata:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS t_id_key;\nDROP INDEX CONCURRENTLY IF EXISTS t_v_idx;\n",
        );
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .assert_code(1);
    // Undo what statement 1 did and the invalid index, fix the data; then repair.
    db.execute("DROP INDEX t_v_idx; DROP INDEX t_id_key; DELETE FROM t WHERE v = 2;");
    Strata::on(&db)
        .project(&project)
        .args(["repair"])
        .run()
        .one_line_error("pass --yes");
    Strata::on(&db)
        .project(&project)
        .args(["repair", "--yes"])
        .run()
        .success()
        .stderr_has("stopped after statement 1")
        .stdout_has("Repaired 1 migration");
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .success()
        .stdout_has("1 applied, 1 pending");
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(
        db.column("SELECT indexrelid::regclass::text || ' ' || indisvalid FROM pg_index WHERE indrelid = 't'::regclass ORDER BY 1"),
        vec!["t_id_key true", "t_v_idx true"]
    );
}

#[test]
fn dry_run_prints_the_sql_and_changes_nothing() {
    let db = TestDb::new("apply_dry");
    let project = sample_project();
    let before = db.catalog();
    let run = Strata::on(&db)
        .project(&project)
        .args(["apply", "--dry-run"])
        .run();
    run.success()
        .stdout_has("-- strata: 1_create_a")
        .stdout_has("CREATE TYPE mood AS ENUM")
        .stdout_has("BEGIN;")
        .stdout_has("COMMIT;");
    assert_eq!(db.catalog(), before);
    // Not even the history table was created.
    assert!(db
        .column("SELECT 1 FROM pg_class WHERE relname = 'schema_migrations'")
        .is_empty());
    // The printed script does what apply would do.
    db.execute(&run.stdout);
    assert_eq!(db.tables(), vec!["a", "b", "c"]);
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .success()
        .stdout_has("5 applied");
}

#[test]
fn statement_timeout_stops_a_slow_migration_and_rolls_it_back() {
    let db = TestDb::new("apply_stmt_timeout");
    let project = TempProject::new().migration(
        1,
        1,
        "slow",
        "CREATE TABLE slow (id int);\nSELECT pg_sleep(5);\n",
        "DROP TABLE slow;",
    );
    let run = Strata::on(&db)
        .project(&project)
        .args(["apply", "--statement-timeout", "200ms"])
        .run();
    run.assert_code(1)
        .stderr_has("statement timeout")
        .stderr_has("rolled back");
    assert!(db.tables().is_empty());
    assert!(db.recorded().is_empty());
}

#[test]
fn json_output_of_apply_lists_what_ran() {
    let db = TestDb::new("apply_json");
    let project = sample_project();
    let run = Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "10", "--json"])
        .run();
    run.success();
    let json = run.json();
    let versions: Vec<i64> = json["applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, vec![1, 2, 10]);
    assert_eq!(json["status"]["summary"]["pending"], 2);
    // Progress is on stderr, the result alone on stdout.
    assert!(run.stdout.trim_start().starts_with('{'));
}

#[test]
fn the_history_table_lives_where_schema_toml_says_with_identifiers_quoted() {
    let db = TestDb::new("apply_history_place");
    let project = sample_project()
        .settings("history_schema = \"strata meta\"\nhistory_table = \"we\\\"ird\"\n");
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(
        db.column("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'strata meta'"),
        vec!["strata meta.we\"ird"]
    );
    assert!(db
        .column("SELECT 1 FROM pg_class WHERE relname = 'schema_migrations'")
        .is_empty());
    assert_eq!(
        db.scalar("SELECT count(*) FROM \"strata meta\".\"we\"\"ird\""),
        "5"
    );
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .success()
        .stdout_has("5 applied");
}

#[test]
fn ddl_waiting_on_a_busy_table_fails_fast_with_lock_timeout() {
    let db = TestDb::new("apply_ddl_lock");
    let project = sample_project().migration(
        3,
        30,
        "alter_a",
        "ALTER TABLE a ADD COLUMN extra int;",
        "ALTER TABLE a DROP COLUMN extra;",
    );
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "21"])
        .run()
        .success();
    // Another session reads table a inside an open transaction: ALTER TABLE must wait for it.
    let mut busy = db.client();
    let mut tx = busy.transaction().unwrap();
    tx.batch_execute("SELECT * FROM a").unwrap();
    let started = std::time::Instant::now();
    let run = Strata::on(&db)
        .project(&project)
        .args([
            "apply",
            "--ddl-lock-timeout",
            "300ms",
            "--ddl-lock-retries",
            "0",
        ])
        .run();
    run.assert_code(1)
        .stderr_has("canceling statement due to lock timeout")
        .stderr_has("30_alter_a.up.sql:1:1")
        .stderr_has("gave up waiting for locks after 1 attempt over");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    tx.rollback().unwrap();
    assert_eq!(
        db.column(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'a'::regclass AND attname = 'extra'"
        ),
        Vec::<String>::new()
    );
    assert_eq!(db.recorded(), vec![1, 2, 10, 20, 21]);
}

#[test]
fn the_servers_hint_is_reported() {
    let db = TestDb::new("apply_hint");
    let project = TempProject::new().migration(
        1,
        1,
        "f",
        "-- calls nothing\nSELECT no_such_function(1);\n",
        "SELECT 1;",
    );
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .assert_code(1)
        .stderr_has("1_f.up.sql:2:8")
        .stderr_has("function no_such_function(integer) does not exist")
        .stderr_has("hint: No function matches the given name and argument types");
}
