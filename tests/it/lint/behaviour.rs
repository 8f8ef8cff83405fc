//! `strata lint` through the binary: live-size grading on seeded VRSS, `--trace`, `--fix`
//! round trips, output formats and exit codes, suppression, the apply gate, and the VRSS and
//! example projects linting clean.

use crate::support::{Strata, TempProject, TestDb};

/// A copy of the VRSS project on disk, to add migrations to.
fn vrss_copy() -> tempfile::TempDir {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read dir") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("copy");
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    for file in ["schema.toml", "checks.toml"] {
        std::fs::copy(root.join(file), dir.path().join(file)).expect("copy");
    }
    copy(&root.join("migrations"), &dir.path().join("migrations"));
    dir
}

#[test]
fn lint_grades_the_same_migration_info_on_an_empty_database_and_error_on_seeded_vrss() {
    let empty = TestDb::new("lint_live_empty");
    let seeded = TestDb::new("lint_live_seeded");
    for db in [&empty, &seeded] {
        Strata::on(db).args(["apply"]).run().success();
    }
    Strata::on(&seeded)
        .args(["seed", "--profile", "load", "--scale", "0.1"])
        .run()
        .success();
    let project = vrss_copy();
    let folder = project.path().join("migrations/4_communication");
    std::fs::write(
        folder.join("4008_posts_status_index.up.sql"),
        "CREATE INDEX idx_posts_status_created ON posts (status, created_at);\n",
    )
    .expect("write");
    std::fs::write(
        folder.join("4008_posts_status_index.down.sql"),
        "DROP INDEX idx_posts_status_created;\n",
    )
    .expect("write");
    let lint = |db: &TestDb| {
        Strata::on(db)
            .project_dir(project.path())
            .args(["lint", "--format", "json"])
            .run()
    };
    let on_empty = lint(&empty);
    on_empty.success();
    let report = on_empty.json();
    assert_eq!(
        report["files"].as_array().map(Vec::len),
        Some(1),
        "only the pending one"
    );
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "index-not-concurrent");
    assert_eq!(finding["severity"], "info");

    let on_seeded = lint(&seeded);
    on_seeded.assert_code(4);
    let report = on_seeded.json();
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "index-not-concurrent");
    assert_eq!(finding["severity"], "error");
    let message = finding["message"].as_str().expect("message");
    assert!(message.contains("public.posts: "), "{message}");
    assert!(message.contains(" MB"), "{message}");
    // The size in the report is the catalog's.
    let bytes: u64 = seeded
        .scalar("SELECT pg_total_relation_size('public.posts')")
        .parse()
        .expect("bytes");
    assert_eq!(finding["size"]["bytes"].as_u64(), Some(bytes));
    assert!(bytes > 10 * 1024 * 1024);
    // Nothing was written to either database.
    assert_eq!(
        seeded
            .scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_posts_status_created'"),
        "0"
    );
}

fn rewrite_project() -> TempProject {
    TempProject::new()
        .settings("statement_timeout = \"1min\"\n")
        .migration(
            1,
            1,
            "create_t",
            "CREATE TABLE t (id bigint PRIMARY KEY, a integer);\nINSERT INTO t SELECT g, g FROM generate_series(1, 60000) g;\n",
            "DROP TABLE t;\n",
        )
        .migration(
            1,
            2,
            "token",
            "ALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();\n",
            "ALTER TABLE t DROP COLUMN token;\n",
        )
        .migration(
            1,
            3,
            "index",
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);\n",
            "-- strata:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS t_a;\n",
        )
}

#[test]
fn lint_trace_reports_locks_rewrites_and_hold_times_and_leaves_no_scratch_database() {
    let db = TestDb::new("lint_trace");
    let project = rewrite_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "1"])
        .run()
        .success();
    let run = Strata::on(&db)
        .project(&project)
        .args(["lint", "--trace", "--format", "json"])
        .run();
    run.success();
    let report = run.json();
    assert_eq!(report["findings"][0]["rule"], "volatile-default");
    assert_eq!(report["findings"][0]["severity"], "info");
    assert!(report["findings"][0]["estimated_ms"].is_u64());
    let trace = &report["trace"];
    assert_eq!(trace["disagreements"].as_array().map(Vec::len), Some(0));
    let migration = &trace["migrations"][0];
    assert!(migration["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("2_token.up.sql")));
    let statement = &migration["statements"][0];
    let locks = statement["locks"].as_array().expect("locks");
    assert!(
        locks.iter().any(|l| l["relation"] == "public.t"
            && l["mode"] == "AccessExclusiveLock"
            && l["existing"] == true
            && l["held_ms"].is_u64()),
        "{locks:?}"
    );
    assert!(statement["rewritten"]
        .as_array()
        .expect("rewritten")
        .iter()
        .any(|r| r == "public.t"));
    // The concurrent build runs outside a transaction: its lock is seen by a second session
    // while it runs.
    let concurrent = &trace["migrations"][1]["statements"][0];
    assert_eq!(concurrent["locks_observed"], false);
    assert!(
        concurrent["sampled_locks"].as_array().is_some_and(|l| l
            .iter()
            .any(|l| l["relation"] == "public.t" && l["mode"] == "ShareUpdateExclusiveLock")),
        "{concurrent}"
    );
    // The scratch database is gone; the target is untouched.
    let admin = crate::support::pg(&crate::support::server().cluster.params("postgres").to_url());
    let mut admin = admin;
    let left: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'strata_shadow_%'",
            &[],
        )
        .expect("query")
        .get(0);
    assert_eq!(left, 0);
    assert_eq!(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'token'"), "0");
    // Text output names the lock as pg_locks does.
    let text = Strata::on(&db)
        .project(&project)
        .args(["lint", "--trace"])
        .run();
    text.success()
        .stdout_has("AccessExclusiveLock on table public.t")
        .stdout_has("rewrote public.t");
}

fn fixable_project() -> TempProject {
    TempProject::new()
        .settings("statement_timeout = \"1min\"\n")
        .migration(
            1,
            1,
            "create",
            "CREATE TABLE parent (id bigint PRIMARY KEY);\n\
             CREATE TABLE t (id bigint PRIMARY KEY, a integer, b text, parent_id bigint);\n\
             CREATE INDEX t_parent ON t (parent_id);\n\
             INSERT INTO parent VALUES (1);\n\
             INSERT INTO t SELECT g, g, 'x', 1 FROM generate_series(1, 500) g;\n",
            "DROP TABLE t;\nDROP TABLE parent;\n",
        )
        .migration(
            1,
            2,
            "risky",
            "CREATE INDEX t_a ON t (a);\n\
             ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id),\n\
             \x20 ADD CONSTRAINT t_a_pos CHECK (a > 0),\n\
             \x20 ALTER COLUMN b SET NOT NULL;\n",
            "ALTER TABLE t DROP CONSTRAINT t_parent_fk, DROP CONSTRAINT t_a_pos, ALTER COLUMN b DROP NOT NULL;\nDROP INDEX t_a;\n",
        )
}

#[test]
fn lint_fix_output_applies_lints_clean_and_makes_the_same_catalog() {
    let original = fixable_project();
    let fixed = fixable_project();
    let before = Strata::bare()
        .project(&fixed)
        .args(["lint", "--format", "json"])
        .run();
    let rules: Vec<String> = before.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        rules,
        [
            "index-not-concurrent",
            "foreign-key-validates",
            "check-validates",
            "set-not-null"
        ]
    );
    // Without a terminal and without --yes nothing is written.
    Strata::bare()
        .project(&fixed)
        .args(["lint", "--fix"])
        .run()
        .one_line_error("pass --yes");
    let up = fixed.up_path(1, 2, "risky");
    assert_eq!(
        std::fs::read_to_string(&up).expect("read"),
        std::fs::read_to_string(original.up_path(1, 2, "risky")).expect("read")
    );
    let run = Strata::bare()
        .project(&fixed)
        .args(["lint", "--fix", "--yes"])
        .run();
    run.success().stderr_has("+++ ").stdout_has("fixed: ");
    assert!(fixed
        .path()
        .join("migrations/1_one/3_risky_index_t_a.up.sql")
        .exists());
    assert!(fixed
        .path()
        .join("migrations/1_one/4_risky_validate.up.sql")
        .exists());
    // The fixed project lints clean.
    let after = Strata::bare()
        .project(&fixed)
        .args(["lint", "--format", "json"])
        .run();
    after.success();
    assert_eq!(
        after.json()["findings"].as_array().map(Vec::len),
        Some(0),
        "{}",
        after.stdout
    );
    // Both apply, to the same catalog (the server's own account of it).
    let db1 = TestDb::new("lint_fix_original");
    let db2 = TestDb::new("lint_fix_fixed");
    Strata::on(&db1)
        .project(&original)
        .args(["apply"])
        .run()
        .success();
    Strata::on(&db2)
        .project(&fixed)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(db1.catalog(), db2.catalog());
    Strata::bare()
        .args(["diff", "--from", &db1.url, "--to", &db2.url])
        .run()
        .success();
    // And the fixed one rolls back completely.
    Strata::on(&db2)
        .project(&fixed)
        .args(["rollback", "--all", "--yes"])
        .run()
        .success();
    assert!(db2.tables().is_empty(), "{:?}", db2.tables());
}

fn risky_project() -> TempProject {
    TempProject::new()
        .migration(
            1,
            1,
            "create",
            "CREATE TABLE t (id bigint PRIMARY KEY, note text);\n",
            "DROP TABLE t;\n",
        )
        .migration(
            1,
            2,
            "drop",
            "ALTER TABLE t DROP COLUMN note;\nCREATE INDEX t_id2 ON t (id);\n",
            "ALTER TABLE t ADD COLUMN note text;\nDROP INDEX t_id2;\n",
        )
}

#[test]
fn lint_formats_and_exit_codes() {
    let project = risky_project();
    let text = Strata::bare().project(&project).args(["lint"]).run();
    text.assert_code(4);
    let up = project.up_path(1, 2, "drop").display().to_string();
    text.stdout_has(&format!(
        "{up}:1:15: error[drop-column] drops column public.t.note"
    ))
    .stdout_has(&format!("{up}:2:1: warning[index-not-concurrent]"))
    .stdout_has("1 error, ");
    let gh = Strata::bare()
        .project(&project)
        .args(["lint", "--format", "github"])
        .run();
    gh.assert_code(4);
    assert!(
        gh.stdout.lines().any(
            |l| l.starts_with("::error file=") && l.contains("title=strata lint drop-column::")
        ),
        "{}",
        gh.stdout
    );
    assert!(
        gh.stdout
            .lines()
            .any(|l| l.starts_with("::warning file=") && l.contains(",line=2,col=1,")),
        "{}",
        gh.stdout
    );
    let json = Strata::bare()
        .project(&project)
        .args(["lint", "--json"])
        .run();
    json.assert_code(4);
    let report = json.json();
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["findings"][0]["lock"], serde_json::Value::Null);
    assert_eq!(report["findings"][1]["lock"], "ShareLock");
    // A file given on the command line, suppressed with a reason.
    let file = project.path().join("extra.sql");
    std::fs::write(
        &file,
        "-- strata:allow drop-table retired in release 3, nothing reads it\nDROP TABLE t;\n",
    )
    .expect("write");
    let allowed = Strata::bare()
        .project(&project)
        .args(["lint", file.to_str().expect("path")])
        .run();
    allowed
        .success()
        .stdout_has("allowed[drop-table]")
        .stdout_has("retired in release 3");
    std::fs::write(&file, "-- strata:allow drop-table\nDROP TABLE t;\n").expect("write");
    let no_reason = Strata::bare()
        .project(&project)
        .args(["lint", "--json", file.to_str().expect("path")])
        .run();
    no_reason.assert_code(4);
    let rules: Vec<String> = no_reason.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(rules, ["allow-without-reason", "drop-table"]);
    // Bad input: one line, exit 1.
    Strata::bare()
        .project(&project)
        .args(["lint", "/nonexistent/x.sql"])
        .run()
        .one_line_error("/nonexistent/x.sql: cannot read");
    Strata::bare()
        .args(["lint", "--explain", "no-such-rule"])
        .run()
        .one_line_error("unknown rule 'no-such-rule'");
    Strata::bare()
        .args(["lint", "--explain", "set-not-null"])
        .run()
        .success()
        .stdout_has("instead: Add CHECK (col IS NOT NULL) NOT VALID");
    let all = Strata::bare().args(["lint", "--explain", "all"]).run();
    all.success();
    assert_eq!(
        all.stdout.matches("\ninstead: ").count()
            + usize::from(all.stdout.starts_with("instead: ")),
        strata::lint::rules::ALL.len()
    );
}

#[test]
fn apply_refuses_with_deny_warns_by_default_and_is_quiet_with_off() {
    let db = TestDb::new("lint_gate_deny");
    let deny = risky_project().settings("lint = \"deny\"\n");
    let run = Strata::on(&db).project(&deny).args(["apply"]).run();
    run.assert_code(4);
    assert!(
        run.stderr.lines().any(
            |l| l.starts_with("error: refusing to apply: lint = \"deny\"")
                && l.contains("drop-column")
        ),
        "{}",
        run.stderr
    );
    assert!(db.tables().is_empty(), "nothing applied: {:?}", db.tables());
    assert_eq!(
        db.scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'"),
        "0"
    );

    let db = TestDb::new("lint_gate_warn");
    let warn = risky_project();
    let run = Strata::on(&db).project(&warn).args(["apply"]).run();
    run.success()
        .stderr_has("strata: lint: ")
        .stderr_has("error[drop-column]");
    assert_eq!(db.recorded(), vec![1, 2]);

    let db = TestDb::new("lint_gate_off");
    let off = risky_project().settings("lint = \"off\"\n");
    let run = Strata::on(&db).project(&off).args(["apply"]).run();
    run.success();
    assert!(!run.stderr.contains("lint"), "{}", run.stderr);
    assert_eq!(db.recorded(), vec![1, 2]);
}

#[test]
fn apply_lints_only_the_migrations_it_runs() {
    // Migration 2 has an error-severity finding, migration 1 none: with lint = "deny" the
    // apply of 1 alone passes, the one that would run 2 is refused, and once 2 is applied
    // (gate off) a no-op apply under "warn" lints nothing and so reports nothing.
    let db = TestDb::new("lint_gate_pending_only");
    let deny = risky_project().settings("lint = \"deny\"\n");
    let run = Strata::on(&db)
        .project(&deny)
        .args(["apply", "--to", "1"])
        .run();
    run.success();
    assert!(!run.stderr.contains("lint"), "{}", run.stderr);
    assert_eq!(db.recorded(), vec![1]);

    let run = Strata::on(&db).project(&deny).args(["apply"]).run();
    run.assert_code(4);
    assert!(run.stderr.contains("drop-column"), "{}", run.stderr);
    assert_eq!(db.recorded(), vec![1]);

    let off = risky_project().settings("lint = \"off\"\n");
    Strata::on(&db)
        .project(&off)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(db.recorded(), vec![1, 2]);

    let warn = risky_project();
    let run = Strata::on(&db).project(&warn).args(["apply"]).run();
    run.success();
    assert!(!run.stderr.contains("lint"), "{}", run.stderr);
    assert!(!run.stdout.contains("drop-column"), "{}", run.stdout);
    assert_eq!(db.recorded(), vec![1, 2]);
}

#[test]
fn vrss_and_the_examples_lint_clean_with_reasons() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut runs = vec![(
        "vrss".to_string(),
        Strata::bare().args(["lint", "--json"]).run(),
    )];
    for example in ["pageshare", "social-live", "token-economy"] {
        runs.push((
            example.to_string(),
            Strata::bare()
                .project_dir(&root.join("examples").join(example))
                .args(["lint", "--json"])
                .run(),
        ));
    }
    for (name, run) in runs {
        run.success();
        let report = run.json();
        assert_eq!(
            report["findings"].as_array().map(Vec::len),
            Some(0),
            "{name}: {}",
            run.stdout
        );
        let allowed = report["allowed"].as_array().expect("allowed");
        assert!(!allowed.is_empty(), "{name}");
        for f in allowed {
            let reason = f["allowed"].as_str().unwrap_or("");
            assert!(
                reason.len() > 40,
                "{name}: a reason that explains: {reason}"
            );
        }
    }
}
