//! baseline (adopting a database made before strata) and verify (every down undoes its up).

use crate::support::*;

fn run_up_scripts(db: &TestDb, project: &TempProject, files: &[(u32, i64, &str)]) {
    for (phase, v, name) in files {
        db.execute(&std::fs::read_to_string(project.up_path(*phase, *v, name)).unwrap());
    }
}

#[test]
fn baseline_records_what_the_database_already_has() {
    let db = TestDb::new("baseline_ok");
    let project = sample_project();
    // A database built before strata, by running the same SQL by hand.
    run_up_scripts(
        &db,
        &project,
        &[(1, 1, "create_a"), (1, 2, "a_trigger"), (2, 10, "create_b")],
    );
    let catalog = db.catalog();
    Strata::on(&db)
        .project(&project)
        .args(["baseline", "--to", "10"])
        .run()
        .one_line_error("baseline changes the history: pass --yes");
    Strata::on(&db)
        .project(&project)
        .args(["baseline", "--to", "10", "--yes"])
        .run()
        .success()
        .stdout_has("Recorded 3 migration(s) up to 10");
    // Nothing ran: the schema is as it was; the history says 1, 2, 10.
    assert_eq!(db.catalog(), catalog);
    assert_eq!(db.recorded(), vec![1, 2, 10]);
    assert!(db
        .scalar("SELECT applied_by FROM schema_migrations WHERE version = 2")
        .contains("baseline"));
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .success()
        .stdout_has("3 applied, 2 pending");
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(db.tables(), vec!["a", "b", "c"]);
}

#[test]
fn baseline_refuses_listing_what_is_missing() {
    let db = TestDb::new("baseline_missing");
    let project = sample_project();
    run_up_scripts(&db, &project, &[(1, 1, "create_a")]);
    db.execute("ALTER TABLE a ALTER COLUMN updated_at TYPE timestamp");
    let catalog = db.catalog();
    Strata::on(&db)
        .project(&project)
        .args(["baseline", "--to", "2", "--yes"])
        .run()
        .one_line_error("refusing to baseline")
        .stderr_has("trigger public.a.a_touch (missing)")
        .stderr_has("function public.touch() (missing)")
        .stderr_has("column public.a.updated_at (changed)");
    assert_eq!(db.catalog(), catalog);
    assert!(db
        .column("SELECT 1 FROM pg_class WHERE relname = 'schema_migrations'")
        .is_empty());
    Strata::on(&db)
        .project(&project)
        .args(["baseline", "--to", "77", "--yes"])
        .run()
        .one_line_error("unknown version 77");
}

#[test]
fn verify_round_trips_every_migration() {
    let db = TestDb::new("verify_ok");
    let run = Strata::on(&db)
        .project(&sample_project())
        .args(["verify", "--json"])
        .run();
    run.success();
    let json = run.json();
    assert_eq!(json["verified"].as_array().unwrap().len(), 5);
    assert!(json["failure"].is_null());
    // The scratch database is gone afterwards.
    let scratch = json["scratch_database"].as_str().unwrap();
    assert!(!scratch.is_empty());
    assert_eq!(
        db.scalar(&format!(
            "SELECT count(*) FROM pg_database WHERE datname = '{scratch}'"
        )),
        "0"
    );
}

#[test]
fn verify_names_the_first_down_that_does_not_undo_its_up() {
    let db = TestDb::new("verify_bad");
    let project = sample_project().migration(
        3,
        22,
        "c_index",
        "CREATE INDEX c_note_idx ON c (note);\nCREATE TABLE c_log (id int);\n",
        "DROP INDEX c_note_idx;\n",
    );
    let run = Strata::on(&db).project(&project).args(["verify"]).run();
    run.assert_code(2)
        .stdout_has("5 verified; 22_c_index fails: its down script does not undo its up")
        .stdout_has("extra table public.c_log");
}

#[test]
fn verify_passes_for_the_vrss_schema() {
    let db = TestDb::new("verify_vrss");
    let run = Strata::on(&db).args(["verify"]).run();
    run.success().stdout_has("Verified 49 migrations");
}
