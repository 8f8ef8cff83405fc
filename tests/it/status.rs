//! status: states, exit codes, output formats.

use crate::support::*;

#[test]
fn pending_migrations_are_listed_and_exit_zero() {
    let db = TestDb::new("st_pending");
    let project = sample_project();
    let run = Strata::on(&db).project(&project).args(["status"]).run();
    run.success()
        .stdout_has("0 applied, 5 pending, 0 modified, 0 unknown")
        .stdout_has("create_a");
    // status reads only: not even the history table is created.
    assert!(db
        .column("SELECT 1 FROM pg_class WHERE relname = 'schema_migrations'")
        .is_empty());
}

#[test]
fn an_edited_applied_file_is_modified_and_apply_refuses() {
    let db = TestDb::new("st_modified");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "10"])
        .run()
        .success();
    let path = project.up_path(2, 10, "create_b");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("varchar(32)", "varchar(64)")).unwrap();
    let run = Strata::on(&db)
        .project(&project)
        .args(["status", "--json"])
        .run();
    run.assert_code(2);
    let json = run.json();
    let row = json["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["version"] == 10)
        .unwrap()
        .clone();
    assert_eq!(row["state"], "modified");
    assert_eq!(row["cosmetic_change"], false);
    assert_ne!(row["checksum"], row["recorded_checksum"]);
    let catalog = db.catalog();
    let apply = Strata::on(&db).project(&project).args(["apply"]).run();
    apply
        .one_line_error("refusing to apply")
        .stderr_has(&format!("10 ({})", path.display()))
        .stderr_has(row["recorded_checksum"].as_str().unwrap())
        .stderr_has(row["checksum"].as_str().unwrap());
    assert_eq!(db.catalog(), catalog);
    assert_eq!(db.recorded(), vec![1, 2, 10]);
}

#[test]
fn a_comment_only_edit_is_modified_but_labelled_cosmetic() {
    let db = TestDb::new("st_cosmetic");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    let path = project.up_path(3, 20, "create_c");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("-- a new comment\n{text}\n\n")).unwrap();
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .assert_code(2)
        .stdout_has("modified (cosmetic)");
}

#[test]
fn line_ending_changes_do_not_count_as_modified() {
    let db = TestDb::new("st_crlf");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    for (phase, v, name) in [(1, 1, "create_a"), (1, 2, "a_trigger"), (2, 10, "create_b")] {
        let path = project.up_path(phase, v, name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    }
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .success()
        .stdout_has("5 applied, 0 pending, 0 modified");
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success()
        .stdout_has("Nothing to apply");
}

#[test]
fn a_database_row_not_in_the_set_is_unknown() {
    let db = TestDb::new("st_unknown");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    db.execute("INSERT INTO schema_migrations (version, name, phase, checksum, applied_by) VALUES (500, 'from_elsewhere', 'x', 'abc', 'someone')");
    let run = Strata::on(&db)
        .project(&project)
        .args(["status", "--json"])
        .run();
    run.assert_code(2);
    let json = run.json();
    let row = json["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["version"] == 500)
        .unwrap()
        .clone();
    assert_eq!(row["state"], "unknown");
    assert_eq!(row["name"], "from_elsewhere");
    assert_eq!(json["summary"]["unknown"], 1);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let db = TestDb::new("st_color");
    let project = sample_project();
    let always = Strata::on(&db)
        .project(&project)
        .args(["status", "--color", "always"])
        .run();
    always.success();
    assert!(always.stdout.contains("\u{1b}["), "colour expected");
    let never = Strata::on(&db)
        .project(&project)
        .args(["status", "--color", "never"])
        .run();
    assert!(!never.stdout.contains("\u{1b}["));
    let no_color = Strata::on(&db)
        .project(&project)
        .env("NO_COLOR", "1")
        .args(["status"])
        .run();
    assert!(!no_color.stdout.contains("\u{1b}["));
}

#[test]
fn repair_shows_each_change_and_records_the_files() {
    let db = TestDb::new("st_repair");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    let meaning = project.up_path(2, 10, "create_b");
    let text = std::fs::read_to_string(&meaning).unwrap();
    std::fs::write(&meaning, text.replace("varchar(32)", "varchar(64)")).unwrap();
    let cosmetic = project.up_path(3, 20, "create_c");
    let text = std::fs::read_to_string(&cosmetic).unwrap();
    std::fs::write(
        &cosmetic,
        format!("-- reviewed\n{}", text.replace('\n', "\r\n")),
    )
    .unwrap();
    // A dry run shows and changes nothing.
    let dry = Strata::on(&db)
        .project(&project)
        .args(["repair", "--dry-run"])
        .run();
    dry.success()
        .stdout_has("10 create_b")
        .stdout_has("CHANGE OF MEANING")
        .stdout_has("-CREATE TABLE b (id int PRIMARY KEY, a_id bigint REFERENCES a(id) ON DELETE CASCADE, name varchar(32)")
        .stdout_has("+CREATE TABLE b (id int PRIMARY KEY, a_id bigint REFERENCES a(id) ON DELETE CASCADE, name varchar(64)")
        .stdout_has("20 create_c")
        .stdout_has("cosmetic");
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .assert_code(2);
    // Without a terminal it needs --yes, and changes nothing without it.
    Strata::on(&db)
        .project(&project)
        .args(["repair"])
        .run()
        .one_line_error("repair changes the history: pass --yes");
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .assert_code(2);
    Strata::on(&db)
        .project(&project)
        .args(["repair", "--yes"])
        .run()
        .success()
        .stderr_has("CHANGE OF MEANING")
        .stdout_has("Repaired 2");
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .success()
        .stdout_has("5 applied, 0 pending, 0 modified");
    Strata::on(&db)
        .project(&project)
        .args(["repair"])
        .run()
        .success()
        .stdout_has("Nothing to repair");
}
