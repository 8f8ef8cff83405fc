//! rollback: every target form, confirmation, and the catalog after it.

use crate::support::*;

fn applied(db: &TestDb, project: &TempProject) {
    Strata::on(db)
        .project(project)
        .args(["apply"])
        .run()
        .success();
}

#[test]
fn default_rolls_back_one_step() {
    let db = TestDb::new("rb_one");
    let project = sample_project();
    applied(&db, &project);
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--yes"])
        .run()
        .success()
        .stdout_has("Rolled back 1 migration");
    assert!(db
        .column("SELECT viewname FROM pg_views WHERE schemaname = 'public'")
        .is_empty());
    assert_eq!(db.tables(), vec!["a", "b", "c"]);
    assert_eq!(db.recorded(), vec![1, 2, 10, 20]);
}

#[test]
fn steps_to_and_phase_forms() {
    let db = TestDb::new("rb_forms");
    let project = sample_project();
    applied(&db, &project);
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--steps", "2", "--yes"])
        .run()
        .success();
    assert_eq!(db.tables(), vec!["a", "b"]);
    applied(&db, &project);
    // --to keeps the version named and older.
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--to", "2", "--yes"])
        .run()
        .success();
    assert_eq!(db.tables(), vec!["a"]);
    assert_eq!(db.recorded(), vec![1, 2]);
    applied(&db, &project);
    // --phase 2 undoes phases 2 and 3, leaving the end of phase 1.
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--phase", "2", "--yes"])
        .run()
        .success();
    assert_eq!(db.tables(), vec!["a"]);
    assert_eq!(
        db.column("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"),
        vec!["a_touch"]
    );
}

#[test]
fn rollback_all_leaves_no_object_behind() {
    let db = TestDb::new("rb_all");
    let project = sample_project();
    let empty = db.catalog();
    applied(&db, &project);
    assert_ne!(db.catalog(), empty);
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--all", "--yes"])
        .run()
        .success()
        .stdout_has("Rolled back 5 migrations");
    // The catalog, not the history, is the judge: no table, type, function, trigger,
    // view or index of the migrations remains.
    assert_eq!(db.catalog(), empty);
    assert!(db.recorded().is_empty());
}

#[test]
fn each_migration_rolled_back_restores_the_catalog_before_it() {
    let db = TestDb::new("rb_each");
    let project = sample_project();
    let versions = [1i64, 2, 10, 20, 21];
    let mut snapshots = vec![db.catalog()];
    for v in versions {
        Strata::on(&db)
            .project(&project)
            .args(["apply", "--to", &v.to_string()])
            .run()
            .success();
        snapshots.push(db.catalog());
    }
    for i in (0..versions.len()).rev() {
        Strata::on(&db)
            .project(&project)
            .args(["rollback", "--yes"])
            .run()
            .success();
        assert_eq!(
            db.catalog(),
            snapshots[i],
            "after rolling back {}",
            versions[i]
        );
    }
}

#[test]
fn without_a_terminal_rollback_needs_yes_and_changes_nothing() {
    let db = TestDb::new("rb_confirm");
    let project = sample_project();
    applied(&db, &project);
    let catalog = db.catalog();
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--all"])
        .run()
        .one_line_error("pass --yes to confirm");
    assert_eq!(db.catalog(), catalog);
    assert_eq!(db.recorded().len(), 5);
}

#[test]
fn dry_run_rollback_prints_down_sql_and_changes_nothing() {
    let db = TestDb::new("rb_dry");
    let project = sample_project();
    applied(&db, &project);
    let catalog = db.catalog();
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--phase", "3", "--dry-run"])
        .run()
        .success()
        .stdout_has("DROP VIEW c_notes;")
        .stdout_has("DROP TABLE c;")
        .stdout_has("DELETE FROM \"public\".\"schema_migrations\" WHERE version = 21");
    assert_eq!(db.catalog(), catalog);
}

#[test]
fn a_failing_down_script_keeps_the_migration_applied() {
    let db = TestDb::new("rb_fail");
    let project = TempProject::new().migration(
        1,
        1,
        "t",
        "CREATE TABLE t (id int);",
        "DROP TABLE t;\nDROP TABLE not_there;\n",
    );
    applied(&db, &project);
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--yes"])
        .run()
        .assert_code(1)
        .stderr_has("1_t.down.sql:2:1")
        .stderr_has("table \"not_there\" does not exist");
    assert_eq!(db.tables(), vec!["t"]);
    assert_eq!(db.recorded(), vec![1]);
}

#[test]
fn unknown_versions_cannot_be_rolled_back_and_nothing_changes() {
    let db = TestDb::new("rb_unknown");
    let project = sample_project();
    applied(&db, &project);
    db.execute("INSERT INTO schema_migrations (version, name, phase, checksum, applied_by) VALUES (99, 'ghost', '3_three', 'x', 'someone')");
    let catalog = db.catalog();
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--yes"])
        .run()
        .one_line_error("cannot roll back 99_ghost");
    assert_eq!(db.catalog(), catalog);
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--to", "1234", "--yes"])
        .run()
        .one_line_error("unknown version 1234");
}

/// Runs strata inside a pseudo-terminal (util-linux `script`), typing `answer`.
fn on_a_terminal(db: &TestDb, project: &TempProject, args: &str, answer: &str) -> (i32, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let command = format!(
        "{} --project {} {args}",
        env!("CARGO_BIN_EXE_strata"),
        project.path().display()
    );
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("DATABASE_URL", &db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    // Give the prompt time to appear before answering, as a person would.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answer.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn on_a_terminal_rollback_lists_what_it_drops_and_asks() {
    let db = TestDb::new("rb_terminal");
    let project = sample_project();
    applied(&db, &project);
    let (code, screen) = on_a_terminal(&db, &project, "rollback --phase 3", "n\n");
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("This rolls back 2 migrations"), "{screen}");
    assert!(
        screen.contains("21 c_view (3_three)") && screen.contains("20 create_c (3_three)"),
        "{screen}"
    );
    assert!(screen.contains("Roll back? [y/N]"), "{screen}");
    assert!(
        screen.contains("cancelled; nothing was rolled back"),
        "{screen}"
    );
    assert_eq!(db.tables(), vec!["a", "b", "c"]);
    let (code, screen) = on_a_terminal(&db, &project, "rollback --phase 3", "y\n");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(db.tables(), vec!["a", "b"]);
}
