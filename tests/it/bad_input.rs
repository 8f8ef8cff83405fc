//! Bad input: each gives a one-line error naming the problem, exit 1, and leaves the
//! database exactly as it was.

use crate::support::*;

/// Runs `strata` with `build`, expects a one-line error containing `needle`, and checks the
/// database is untouched (catalog unchanged, no history table created).
fn rejected(db: &TestDb, run: Run, needle: &str) {
    run.one_line_error(needle);
    assert!(
        db.catalog().is_empty(),
        "catalog changed: {:?}",
        db.catalog()
    );
    assert!(
        db.column("SELECT 1 FROM pg_class WHERE relname = 'schema_migrations'")
            .is_empty(),
        "history table created"
    );
}

#[test]
fn malformed_schema_toml() {
    let db = TestDb::new("bad_toml");
    let project = sample_project();
    for (text, needle) in [
        ("[project\nname = \"x\"", "schema.toml"),
        (
            "[project]\nname = \"x\"\ncolour = 1\n",
            "unknown field `colour`",
        ),
        (
            "[project]\nname = \"x\"\n[settings]\nlock_timeout = \"forever\"\n",
            "bad duration",
        ),
        (
            "[project]\nname = \"x\"\n[settings]\nhistory_table = \"\"\n",
            "settings.history_table",
        ),
    ] {
        project.write("schema.toml", text);
        rejected(
            &db,
            Strata::on(&db).project(&project).args(["apply"]).run(),
            needle,
        );
    }
}

#[test]
fn missing_down_file() {
    let db = TestDb::new("bad_down");
    let project = sample_project();
    std::fs::remove_file(project.path().join("migrations/2_two/10_create_b.down.sql")).unwrap();
    rejected(
        &db,
        Strata::on(&db).project(&project).args(["apply"]).run(),
        "10_create_b.up.sql: has no matching 10_create_b.down.sql",
    );
}

#[test]
fn duplicate_version() {
    let db = TestDb::new("bad_dup");
    let project = sample_project().migration(3, 10, "again", "SELECT 1;", "SELECT 1;");
    rejected(
        &db,
        Strata::on(&db).project(&project).args(["apply"]).run(),
        "duplicate version 10",
    );
}

#[test]
fn version_out_of_phase_order_and_undeclared_phase() {
    let db = TestDb::new("bad_order");
    let project = sample_project().migration(3, 5, "early", "SELECT 1;", "SELECT 1;");
    rejected(
        &db,
        Strata::on(&db).project(&project).args(["apply"]).run(),
        "out of phase order",
    );
    let project = sample_project();
    project.write("migrations/9_nine/90_x.up.sql", "SELECT 1;");
    rejected(
        &db,
        Strata::on(&db).project(&project).args(["apply"]).run(),
        "phase folder not declared",
    );
}

#[test]
fn unparsable_file_names_and_non_utf8_sql() {
    let db = TestDb::new("bad_files");
    let project = sample_project();
    project.write("migrations/1_one/three_x.up.sql", "SELECT 1;");
    rejected(
        &db,
        Strata::on(&db).project(&project).args(["apply"]).run(),
        "bad migration file name",
    );
    let project = sample_project();
    std::fs::write(
        project.path().join("migrations/1_one/3_latin1.up.sql"),
        b"SELECT 'caf\xe9';",
    )
    .unwrap();
    project.write("migrations/1_one/3_latin1.down.sql", "SELECT 1;");
    rejected(
        &db,
        Strata::on(&db).project(&project).args(["apply"]).run(),
        "3_latin1.up.sql: not valid UTF-8",
    );
}

#[test]
fn unknown_target_version_and_phase() {
    let db = TestDb::new("bad_target");
    let project = sample_project();
    rejected(
        &db,
        Strata::on(&db)
            .project(&project)
            .args(["apply", "--to", "7"])
            .run(),
        "unknown version 7",
    );
    rejected(
        &db,
        Strata::on(&db)
            .project(&project)
            .args(["apply", "--phase", "4"])
            .run(),
        "unknown phase 4",
    );
}

#[test]
fn unreachable_host() {
    let project = sample_project();
    Strata::bare()
        .project(&project)
        .env(
            "DATABASE_URL",
            "postgres://nobody:secret-pw@127.0.0.1:1/db?connect_timeout=2",
        )
        .args(["status"])
        .run()
        .one_line_error("could not connect to postgres://nobody@127.0.0.1:1/db");
}

#[test]
fn wrong_password_is_refused_and_never_echoed() {
    let db = TestDb::new("bad_password");
    let project = sample_project();
    let port = server().tcp_port;
    let url = format!(
        "postgres://{PW_USER}:Wr0ng%40pass@127.0.0.1:{port}/{}",
        db.name
    );
    let run = Strata::bare()
        .project(&project)
        .env("DATABASE_URL", &url)
        .args(["apply", "--json"])
        .run();
    run.one_line_error("password authentication failed");
    for secret in ["Wr0ng@pass", "Wr0ng%40pass"] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "password leaked"
        );
    }
    assert!(db.catalog().is_empty());
    // The right password, with '@' and '%' percent-encoded in the URL, gets in.
    let encoded: String = PW_PASSWORD.replace('%', "%25").replace('@', "%40");
    let url = format!(
        "postgres://{PW_USER}:{encoded}@127.0.0.1:{port}/{}",
        db.name
    );
    let run = Strata::bare()
        .project(&project)
        .args(["--database-url", &url, "status"])
        .run();
    run.success();
    assert!(!run.stdout.contains(PW_PASSWORD) && !run.stderr.contains(PW_PASSWORD));
    // PG* variables are read too, password included.
    Strata::bare()
        .project(&project)
        .env("PGHOST", "127.0.0.1")
        .env("PGPORT", &port.to_string())
        .env("PGUSER", PW_USER)
        .env("PGPASSWORD", PW_PASSWORD)
        .env("PGDATABASE", &db.name)
        .args(["status"])
        .run()
        .success();
}

#[test]
fn unknown_sslmode_and_bad_flags() {
    let db = TestDb::new("bad_flags");
    let project = sample_project();
    rejected(
        &db,
        Strata::bare()
            .project(&project)
            .env("DATABASE_URL", &format!("{}&sslmode=sometimes", db.url))
            .args(["apply"])
            .run(),
        "unknown sslmode 'sometimes'",
    );
    rejected(
        &db,
        Strata::on(&db)
            .project(&project)
            .args(["apply", "--lock-timeout", "soon"])
            .run(),
        "--lock-timeout",
    );
    rejected(
        &db,
        Strata::on(&db)
            .project(&project)
            .args(["apply", "--frobnicate"])
            .run(),
        "--frobnicate",
    );
    rejected(
        &db,
        Strata::on(&db)
            .project(&project)
            .args(["rollback", "--all", "--steps", "2"])
            .run(),
        "cannot be used with",
    );
}

#[test]
fn project_directory_that_is_not_a_project() {
    let db = TestDb::new("bad_project");
    let dir = tempfile::tempdir().unwrap();
    rejected(
        &db,
        Strata::on(&db)
            .project_dir(dir.path())
            .args(["apply"])
            .run(),
        "no schema.toml here",
    );
}

#[test]
fn a_database_that_does_not_exist() {
    let db = TestDb::new("bad_nodb");
    let url = db
        .url
        .replace(&format!("/{}?", db.name), "/no_such_database?");
    Strata::bare()
        .project(&sample_project())
        .env("DATABASE_URL", &url)
        .args(["status"])
        .run()
        .one_line_error("database \"no_such_database\" does not exist");
}

#[test]
fn every_malformed_schema_toml_field() {
    let db = TestDb::new("bad_fields");
    let project = sample_project();
    let phases = "[[phases]]\nname = \"one\"\ndescription = \"\"\n[[phases]]\nname = \"two\"\ndescription = \"\"\n[[phases]]\nname = \"three\"\ndescription = \"\"\n";
    for (text, needle) in [
        (
            String::from("[settings]\nlock_timeout = \"5s\"\n"),
            "missing field `project`",
        ),
        (
            String::from("name = \"x\"\n[project]\nname = \"x\"\n"),
            "unknown field `name`",
        ),
        (
            "[project]\ndescription = \"no name\"\n".into(),
            "missing field `name`",
        ),
        ("[project]\nname = [1]\n".into(), "invalid type"),
        (
            "[project]\nname = \"x\"\ndescription = 3\n".into(),
            "invalid type",
        ),
        (
            format!("[project]\nname = \"x\"\n[[phases]]\nname = \"one\"\n{phases}"),
            "missing field `description`",
        ),
        (
            "[project]\nname = \"x\"\n[[phases]]\nname = \"one\"\ndescription = \"\"\nextra = 1\n"
                .to_string(),
            "unknown field `extra`",
        ),
        (
            format!(
                "[project]\nname = \"x\"\n{phases}[[phases]]\nname = \"one\"\ndescription = \"\"\n"
            ),
            "phase 'one' is declared twice",
        ),
        (
            format!("[project]\nname = \"x\"\n{phases}[settings]\nhistory_schema = \"\"\n"),
            "settings.history_schema",
        ),
        (
            format!("[project]\nname = \"x\"\n{phases}[settings]\nhistory_table = 5\n"),
            "invalid type",
        ),
        (
            format!("[project]\nname = \"x\"\n{phases}[settings]\nlock_timeout = \"-3s\"\n"),
            "bad duration",
        ),
        (
            format!("[project]\nname = \"x\"\n{phases}[settings]\nddl_lock_timeout = \"later\"\n"),
            "bad duration",
        ),
        (
            format!("[project]\nname = \"x\"\n{phases}[settings]\nstatement_timeout = true\n"),
            "invalid type",
        ),
        (
            format!("[project]\nname = \"x\"\n{phases}[settings]\nlock_mode = \"mutex\"\n"),
            "unknown variant `mutex`",
        ),
        (
            format!("invariants_file = 7\n[project]\nname = \"x\"\n{phases}"),
            "invalid type",
        ),
        (
            format!(
                "[project]\nname = \"x\"\n{phases}[settings]\nhistory_table = \"{}\"\n",
                "h".repeat(64)
            ),
            "settings.history_table must be 1 to 63",
        ),
    ] {
        project.write("schema.toml", &text);
        rejected(
            &db,
            Strata::on(&db).project(&project).args(["apply"]).run(),
            needle,
        );
    }
}

#[test]
fn an_empty_migration_and_an_oversized_one_are_refused() {
    let db = TestDb::new("bad_sizes");
    let project = sample_project();
    project.write(
        "migrations/3_three/30_empty.up.sql",
        "-- nothing here yet\n\n",
    );
    project.write("migrations/3_three/30_empty.down.sql", "SELECT 1;");
    rejected(
        &db,
        Strata::on(&db).project(&project).args(["apply"]).run(),
        "30_empty.up.sql: the script is empty",
    );
    let project = sample_project();
    // 50 MB of SQL: refused by size before it is read, not loaded into memory.
    let path = project.path().join("migrations/3_three/31_huge.up.sql");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    project.write("migrations/3_three/31_huge.down.sql", "SELECT 1;");
    let run = Strata::on(&db).project(&project).args(["apply"]).run();
    rejected(
        &db,
        run,
        "31_huge.up.sql: 52428800 bytes is larger than the 16777216-byte limit",
    );
}

#[test]
fn what_would_fail_at_run_time_is_refused_at_load() {
    let db = TestDb::new("load_time");
    let config = |settings: &str| {
        format!(
            "[project]\nname = \"x\"\n[[phases]]\nname = \"one\"\ndescription = \"\"\n[settings]\n{settings}"
        )
    };
    for (schema, extra_file, needle) in [
        (
            config(&format!("history_table = \"{}\"\nlock_mode = \"table\"\n", "h".repeat(63))),
            None,
            "would be 68 bytes, over PostgreSQL's limit of 63",
        ),
        (
            config(&format!("history_table = \"{}\"\n", "é".repeat(32))),
            None,
            "settings.history_table must be 1 to 63 bytes (PostgreSQL's limit on names), got 64 bytes",
        ),
        (
            config("ddl_lock_timeout = \"30d\"\n"),
            None,
            "duration '30d' is longer than PostgreSQL's limit of 2147483647 ms",
        ),
        (
            config(""),
            Some(("migrations/1_one/4_x.UP.SQL", "SELECT 1;")),
            "4_x.UP.SQL: bad migration file name: an SQL file in a phase folder must be named",
        ),
        (
            config(""),
            Some(("migrations/1_one/5_y.up.sql/README", "")),
            "migrations/1_one/5_y.up.sql: bad migration file name: phase folders may not contain sub-folders",
        ),
    ] {
        let project = TempProject::with_phases(&["one"]).migration(
            1,
            1,
            "ok",
            "CREATE TABLE ok_t (id int);",
            "DROP TABLE ok_t;",
        );
        project.write("schema.toml", &schema);
        if let Some((rel, text)) = extra_file {
            project.write(rel, text);
        }
        rejected(
            &db,
            Strata::on(&db).project(&project).args(["apply"]).run(),
            needle,
        );
    }
    // A schema.toml that is not UTF-8 says so, and not that migrations must be.
    let project = sample_project();
    std::fs::write(
        project.path().join("schema.toml"),
        b"[project]\nname = \"caf\xe9\"\n",
    )
    .unwrap();
    rejected(
        &db,
        Strata::on(&db).project(&project).args(["apply"]).run(),
        "schema.toml: not valid UTF-8 (byte 21); schema.toml must be UTF-8 text",
    );
    // The flag is held to the same limits.
    rejected(
        &db,
        Strata::on(&db)
            .project(&sample_project())
            .args(["apply", "--statement-timeout", "25d"])
            .run(),
        "--statement-timeout: duration '25d' is longer than PostgreSQL's limit",
    );
}
