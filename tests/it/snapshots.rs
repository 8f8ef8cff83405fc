//! Snapshots of what users read: the help of every command, the status table, a diff
//! report, a check report, and the JSON of status, diff, check, seed and apply (and of a
//! failed apply). Times, durations, checksums, ports, temporary paths and the per-test
//! database numbers are redacted, and table padding is folded, so a snapshot changes only
//! when the words do. Review a change with `cargo insta review` (or accept it with
//! `INSTA_UPDATE=always`); in CI a difference fails the test.

use crate::support::*;

/// Redactions applied to every snapshot.
fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        // Temporary folders: the test server's and the projects'.
        (r"/tmp/strata-it-\d+", "[server]"),
        (r"/tmp/\.tmp[A-Za-z0-9]+", "[project]"),
        // Ports.
        (r"port=\d+", "port=[port]"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        // The number every test database carries, and scratch database names.
        (r"\b(it_[A-Za-z0-9_]*?)_\d+\b", "${1}_[n]"),
        (r"strata_shadow_\d+_[0-9a-f]+", "strata_shadow_[pid]_[n]"),
        // Checksums (full and shortened).
        (r"\b[0-9a-f]{64}\b", "[sha256]"),
        // Times.
        (
            r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}| UTC)",
            "[time]",
        ),
        // Durations: `12 ms` in text, `"execution_ms": 12` and `"ms": 3` in JSON.
        (r"\b\d+ ms\b", "[ms] ms"),
        (r#""(\w*_ms|ms)":( ?)\d+"#, r#""$1":$2"[ms]""#),
        // The check table's last column is its time.
        (r"┆ *\d+ *│", "┆ [ms] │"),
        // Table padding and rules (column widths follow the redacted values).
        (r" +│", " │"),
        (r"─+", "─"),
        (r"═+", "═"),
    ]
}

macro_rules! snapshot {
    ($name:expr, $text:expr) => {
        insta::with_settings!({
            filters => filters(),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!($name, $text);
        })
    };
}

/// `strata --help` and the help of every command and `local` action.
#[test]
fn help_of_every_command() {
    // Every command and subcommand clap knows, so a new command gets its snapshot.
    fn walk(cmd: &clap::Command, path: Vec<String>, all: &mut Vec<Vec<String>>) {
        all.push(path.clone());
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut next = path.clone();
            next.push(sub.get_name().to_string());
            walk(sub, next, all);
        }
    }
    let mut commands = Vec::new();
    walk(
        &<strata::cli::Cli as clap::CommandFactory>::command(),
        Vec::new(),
        &mut commands,
    );
    assert!(commands.len() >= 18, "{commands:?}");
    for args in &commands {
        let run = Strata::bare().args(args).args(["--help"]).run();
        run.success();
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        let name = if args.is_empty() {
            "help".to_string()
        } else {
            format!("help_{}", args.join("_"))
        };
        snapshot!(name, run.stdout);
    }
}

/// The sample project applied to version 10, with version 2's file then edited
/// cosmetically: applied, modified (cosmetic) and pending rows.
fn sample_in_every_state(tag: &str) -> (TestDb, TempProject) {
    let db = TestDb::new(tag);
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "10"])
        .run()
        .success();
    let path = project.up_path(1, 2, "a_trigger");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("-- a comment only\n{text}")).unwrap();
    (db, project)
}

#[test]
fn status_table_and_json() {
    let (db, project) = sample_in_every_state("snap_status");
    let run = Strata::on(&db).project(&project).args(["status"]).run();
    run.assert_code(2);
    snapshot!("status_table", run.stdout);
    let run = Strata::on(&db)
        .project(&project)
        .args(["status", "--json"])
        .run();
    run.assert_code(2);
    // The oracle for the states: the history table itself.
    assert_eq!(db.recorded(), [1, 2, 10]);
    snapshot!("status_json", run.stdout);
}

#[test]
fn apply_json_and_a_failed_apply_json() {
    let db = TestDb::new("snap_apply");
    let project = sample_project();
    let run = Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "10", "--json"])
        .run();
    run.success();
    assert_eq!(db.recorded(), [1, 2, 10]);
    snapshot!("apply_json", run.stdout);

    let project = project.migration(
        3,
        30,
        "broken",
        "CREATE TABLE d (id int);\nINSERT INTO d VALUES ('not a number');\n",
        "DROP TABLE d;\n",
    );
    let run = Strata::on(&db)
        .project(&project)
        .args(["apply", "--json"])
        .run();
    run.assert_code(1);
    // 20 and 21 were applied before 30 failed, and stay.
    assert_eq!(db.recorded(), [1, 2, 10, 20, 21]);
    snapshot!("apply_failed_json", run.stdout);
    snapshot!("apply_failed_stderr", run.stderr);
}

/// The sample project applied, then changed by hand: an index dropped, a column added, a
/// column's type and a view changed; and version 21 unrecorded (pending).
fn drifted(tag: &str) -> (TestDb, TempProject) {
    let db = TestDb::new(tag);
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    db.execute(
        "DROP INDEX b_a_id_idx;
         ALTER TABLE c ADD COLUMN extra int;
         ALTER TABLE b ALTER COLUMN name TYPE text;
         CREATE OR REPLACE VIEW c_notes AS SELECT id, note FROM c WHERE note IS NOT NULL AND id > 0;
         DELETE FROM schema_migrations WHERE version = 21;",
    );
    (db, project)
}

#[test]
fn diff_report_and_json() {
    let (db, project) = drifted("snap_diff");
    let run = Strata::on(&db).project(&project).args(["diff"]).run();
    run.assert_code(2);
    snapshot!("diff_report", run.stdout);
    let run = Strata::on(&db)
        .project(&project)
        .args(["diff", "--json"])
        .run();
    run.assert_code(2);
    // The oracle for one of the differences: the catalog has no such index.
    assert!(db
        .column("SELECT 1 FROM pg_indexes WHERE indexname = 'b_a_id_idx'")
        .is_empty());
    snapshot!("diff_json", run.stdout);
}

/// The sample project applied, with a row of `b` pointing at no `a` (its foreign key
/// dropped and added back NOT VALID) and one row of `a`.
fn violated(tag: &str) -> (TestDb, TempProject) {
    let db = TestDb::new(tag);
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    db.execute(
        "INSERT INTO a (id) VALUES (1);
         INSERT INTO b VALUES (1, 1, 'ok');
         ALTER TABLE b DROP CONSTRAINT b_a_id_fkey;
         INSERT INTO b VALUES (2, 999, 'orphan');
         ALTER TABLE b ADD CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES a(id)
           ON DELETE CASCADE NOT VALID;",
    );
    (db, project)
}

#[test]
fn check_report_and_json() {
    let (db, project) = violated("snap_check");
    let run = Strata::on(&db)
        .project(&project)
        .args(["check", "--jobs", "2"])
        .run();
    run.assert_code(3);
    snapshot!("check_report", run.stdout);
    let run = Strata::on(&db)
        .project(&project)
        .args(["check", "--jobs", "2", "--json"])
        .run();
    run.assert_code(3);
    // The oracle: the orphan is there.
    assert_eq!(
        db.scalar("SELECT count(*) FROM b WHERE a_id NOT IN (SELECT id FROM a)"),
        "1"
    );
    snapshot!("check_json", run.stdout);
}

#[test]
fn seed_json() {
    let db = TestDb::vrss("snap_seed");
    let run = Strata::on(&db).args(["seed", "--json"]).run();
    run.success();
    assert_eq!(db.scalar("SELECT count(*) FROM subscription_tiers"), "4");
    snapshot!("seed_json", run.stdout);
}

#[test]
fn fleet_table_and_json() {
    // Three tenant schemas, one at a time: the second fails, so (on_error stop) the third
    // never starts.
    let db = TestDb::new("snap_fleet");
    db.execute("CREATE SCHEMA t1; CREATE SCHEMA t2; CREATE SCHEMA t3; CREATE TABLE t2.b (x int);");
    let project = sample_project();
    let run = Strata::on(&db)
        .project(&project)
        .args(["apply", "--schemas", "t?", "--parallel", "1"])
        .run();
    run.assert_code(1);
    // The oracle: each schema's own history table.
    assert_eq!(
        db.column("SELECT version FROM t1.schema_migrations ORDER BY 1"),
        ["1", "2", "10", "20", "21"]
    );
    assert_eq!(
        db.column("SELECT version FROM t2.schema_migrations ORDER BY 1"),
        ["1", "2"]
    );
    assert_eq!(
        db.scalar("SELECT to_regclass('t3.schema_migrations') IS NULL"),
        "t"
    );
    snapshot!("fleet_table", run.stdout);
    let run = Strata::on(&db)
        .project(&project)
        .args(["status", "--schemas", "t?", "--json", "--parallel", "2"])
        .run();
    run.success();
    snapshot!("fleet_status_json", run.stdout);
}
