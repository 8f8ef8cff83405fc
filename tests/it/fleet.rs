//! Fleets: one project over many databases and tenant schemas (`--targets`, `--schemas`),
//! each target checked against its own catalog and history rows, read by the test.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::{server, Strata, TempProject, TestDb};

/// Three migrations written without schema names; the third creates `tag`.
fn project() -> TempProject {
    TempProject::with_phases(&["one"])
        .migration(
            1,
            1,
            "item",
            "CREATE TABLE item (id int PRIMARY KEY, name text);\n",
            "DROP TABLE item;\n",
        )
        .migration(
            1,
            2,
            "item_name",
            "CREATE INDEX item_name_idx ON item (name);\n",
            "DROP INDEX item_name_idx;\n",
        )
        .migration(
            1,
            3,
            "tag",
            "CREATE TABLE tag (id int PRIMARY KEY, item_id int REFERENCES item (id));\n",
            "DROP TABLE tag;\n",
        )
}

/// The URL of `db` without its password (the runs get it from PGPASSWORD).
fn url(db: &TestDb) -> String {
    let mut params = server().cluster.params(&db.name);
    params.password = None;
    params.to_url()
}

fn password() -> String {
    server()
        .cluster
        .password()
        .expect("the test server's password")
}

/// A run against `control` with the password in the environment.
fn strata(control: &TestDb, p: &TempProject) -> Strata {
    Strata::on(control)
        .project(p)
        .env("PGPASSWORD", &password())
}

fn create_schemas(db: &TestDb, names: &[String]) {
    let sql: String = names
        .iter()
        .map(|n| format!("CREATE SCHEMA {n};"))
        .collect();
    db.execute(&sql);
}

fn tenants(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}_{i:02}")).collect()
}

/// Versions in `schema`'s own history table (empty when it has none).
fn history(db: &TestDb, schema: &str) -> Vec<i64> {
    let exists = db.scalar(&format!(
        "SELECT to_regclass('{schema}.schema_migrations') IS NOT NULL"
    ));
    if exists != "t" {
        return Vec::new();
    }
    db.column(&format!(
        "SELECT version FROM {schema}.schema_migrations ORDER BY 1"
    ))
    .into_iter()
    .map(|v| v.parse().expect("version"))
    .collect()
}

/// What the catalog says `schema` holds: its tables and indexes (history left out).
fn objects(db: &TestDb, schema: &str) -> Vec<String> {
    db.column(&format!(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'i')
           AND c.relname NOT LIKE 'schema_migrations%' ORDER BY 1"
    ))
}

/// The objects migrations 1..=version make, as the catalog names them.
fn expected_objects(version: i64) -> Vec<String> {
    let mut list = Vec::new();
    if version >= 1 {
        list.extend(["item", "item_pkey"]);
    }
    if version >= 2 {
        list.push("item_name_idx");
    }
    if version >= 3 {
        list.extend(["tag", "tag_pkey"]);
    }
    list.sort();
    list.into_iter().map(String::from).collect()
}

/// The catalog of `schema` is what its history says was applied.
fn assert_history_matches_catalog(db: &TestDb, schema: &str) -> i64 {
    let recorded = history(db, schema);
    let version = recorded.last().copied().unwrap_or(0);
    assert_eq!(
        recorded,
        (1..=version).collect::<Vec<_>>(),
        "{schema}: history"
    );
    assert_eq!(
        objects(db, schema),
        expected_objects(version),
        "{schema}: catalog vs history {recorded:?}"
    );
    version
}

fn targets_file(p: &TempProject, text: &str) -> String {
    p.write("targets.toml", text);
    p.path().join("targets.toml").display().to_string()
}

fn entry(name: &str, url: &str, group: &str, schema: Option<&str>) -> String {
    let schema = schema
        .map(|s| format!("schema = \"{s}\"\n"))
        .unwrap_or_default();
    format!("[[target]]\nname = \"{name}\"\nurl = \"{url}\"\ngroup = \"{group}\"\n{schema}\n")
}

fn rows(json: &serde_json::Value) -> &Vec<serde_json::Value> {
    json["targets"].as_array().expect("targets")
}

fn row<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    rows(json)
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

#[test]
fn fifty_schemas_and_ten_databases_apply_status_diff_and_check() {
    let control = TestDb::new("fleet_schemas");
    let names = tenants("tenant", 50);
    create_schemas(&control, &names);
    // `_` is literal in the glob: tenantx is not a tenant_ schema.
    create_schemas(&control, &["tenantx".to_string()]);
    let dbs: Vec<TestDb> = (0..10)
        .map(|i| TestDb::new(&format!("fleet_db{i}")))
        .collect();
    let p = project();
    let mut text = String::from("on_error = \"continue\"\n\n");
    for (i, db) in dbs.iter().enumerate() {
        let group = if i == 0 { "canary" } else { "main" };
        text.push_str(&entry(&format!("db{i}"), &url(db), group, None));
    }
    for n in &names {
        text.push_str(&entry(n, &url(&control), "main", Some(n)));
    }
    let file = targets_file(&p, &text);

    let run = strata(&control, &p)
        .args(["apply", "--targets", &file, "--parallel", "4", "--json"])
        .run();
    run.success();
    let json = run.json();
    assert_eq!(rows(&json).len(), 60);
    assert_eq!(json["on_error"], "continue");
    for r in rows(&json) {
        assert_eq!(r["state"], "done", "{r}");
        assert_eq!(
            (r["before"].clone(), r["after"].clone()),
            (serde_json::Value::Null, 3.into()),
            "{r}"
        );
        assert_eq!(r["changed"], 3, "{r}");
    }
    for n in &names {
        assert_eq!(assert_history_matches_catalog(&control, n), 3);
    }
    assert_eq!(objects(&control, "tenantx"), Vec::<String>::new());
    assert_eq!(objects(&control, "public"), Vec::<String>::new());
    for db in &dbs {
        assert_eq!(assert_history_matches_catalog(db, "public"), 3);
    }

    // A re-run touches nothing: every target answers from its history.
    let again = strata(&control, &p)
        .args(["apply", "--targets", &file, "--json"])
        .run();
    again.success();
    assert!(rows(&again.json())
        .iter()
        .all(|r| r["changed"] == 0 && r["after"] == 3));

    // Ten tenants one step back: the distribution says 10 at 2, 40 at 3.
    strata(&control, &p)
        .args([
            "rollback",
            "--schemas",
            "tenant_0?",
            "--steps",
            "1",
            "--yes",
            "--json",
        ])
        .run()
        .success();
    for n in &names[..10] {
        assert_eq!(assert_history_matches_catalog(&control, n), 2);
    }
    let status = strata(&control, &p)
        .args(["status", "--schemas", "tenant_*"])
        .run();
    status.success();
    status.stdout_has("versions (targets at each): 2: 10, 3: 40");
    status.stdout_has("50 targets: 50 done, 0 failed, 0 stopped, 0 not started");
    let status = strata(&control, &p)
        .args(["status", "--schemas", "tenant_*", "--json"])
        .run();
    let json = status.json();
    assert_eq!(rows(&json).len(), 50, "tenantx is not matched");
    for n in &names {
        let expected = history(&control, n).last().copied();
        assert_eq!(row(&json, n)["after"], serde_json::json!(expected), "{n}");
    }

    // diff and check over the databases; drift in one of them is its row and exit 2.
    let db_file = {
        let text: String = dbs
            .iter()
            .enumerate()
            .map(|(i, db)| entry(&format!("db{i}"), &url(db), "main", None))
            .collect();
        p.write("dbs.toml", &text);
        p.path().join("dbs.toml").display().to_string()
    };
    strata(&control, &p)
        .args(["diff", "--targets", &db_file])
        .run()
        .success();
    dbs[3].execute("DROP INDEX item_name_idx");
    let diff = strata(&control, &p)
        .args(["diff", "--targets", &db_file, "--json"])
        .run();
    diff.assert_code(2);
    let json = diff.json();
    for (i, r) in rows(&json).iter().enumerate() {
        assert_eq!(r["drift"], i == 3, "{r}");
    }
    let check = strata(&control, &p)
        .args(["check", "--targets", &db_file, "--json"])
        .run();
    check.success();
    assert!(rows(&check.json())
        .iter()
        .all(|r| r["state"] == "done" && r["violations"] == 0));
    // On tenant schemas, diff and check would read the whole database: refused by name.
    strata(&control, &p)
        .args(["diff", "--schemas", "tenant_*"])
        .run()
        .assert_code(1)
        .stderr_has("diff on tenant schemas is not supported");
}

/// A project whose migration 3 fails where `tag` exists already.
fn break_schemas(db: &TestDb, schemas: &[String]) {
    let sql: String = schemas
        .iter()
        .map(|s| format!("CREATE TABLE {s}.tag (x int);"))
        .collect();
    db.execute(&sql);
}

fn fix_schemas(db: &TestDb, schemas: &[String]) {
    let sql: String = schemas
        .iter()
        .map(|s| format!("DROP TABLE {s}.tag;"))
        .collect();
    db.execute(&sql);
}

#[test]
fn a_failing_migration_with_continue_and_with_stop() {
    let control = TestDb::new("fleet_errors");
    let p = project();
    let names = tenants("cont", 8);
    create_schemas(&control, &names);
    let broken = vec![names[1].clone(), names[4].clone(), names[6].clone()];
    break_schemas(&control, &broken);
    let run = strata(&control, &p)
        .args([
            "apply",
            "--schemas",
            "cont_*",
            "--on-error",
            "continue",
            "--parallel",
            "3",
            "--json",
        ])
        .run();
    run.assert_code(1);
    let json = run.json();
    for n in &names {
        let r = row(&json, n);
        if broken.contains(n) {
            assert_eq!(r["state"], "failed", "{r}");
            let error = r["error"].as_str().unwrap();
            assert!(
                error.contains("already exists") && error.contains("1, 2"),
                "{error}"
            );
            assert_eq!(history(&control, n), [1, 2]);
        } else {
            assert_eq!(r["state"], "done", "{r}");
            assert_eq!(assert_history_matches_catalog(&control, n), 3);
        }
    }
    // After the fix, a re-run applies only to the three.
    fix_schemas(&control, &broken);
    let run = strata(&control, &p)
        .args(["apply", "--schemas", "cont_*", "--json"])
        .run();
    run.success();
    let json = run.json();
    for n in &names {
        let expected = if broken.contains(n) { 1 } else { 0 };
        assert_eq!(row(&json, n)["changed"], expected, "{n}");
        assert_eq!(assert_history_matches_catalog(&control, n), 3);
    }

    // With stop (the default), one at a time: nothing starts after the failure.
    let names = tenants("stop", 6);
    create_schemas(&control, &names);
    break_schemas(&control, &names[2..3]);
    let run = strata(&control, &p)
        .args(["apply", "--schemas", "stop_*", "--parallel", "1"])
        .run();
    run.assert_code(1);
    run.stdout_has("stop_02 failed and on_error is stop: no target started after it");
    run.stdout_has("6 targets: 2 done, 1 failed, 0 stopped, 3 not started");
    for (i, n) in names.iter().enumerate() {
        let version = match i {
            0 | 1 => 3,
            2 => 2,
            _ => 0,
        };
        if i == 2 {
            assert_eq!(history(&control, n), [1, 2]);
        } else {
            assert_eq!(assert_history_matches_catalog(&control, n), version, "{n}");
        }
    }
}

#[test]
fn with_stop_a_running_target_finishes_its_current_migration_and_starts_no_other() {
    let control = TestDb::new("fleet_halt");
    // Migration 1: in halt_a it waits until another session runs this migration (halt_b,
    // marked by the comment) and then fails; in halt_b it takes 3 s. So halt_a fails while
    // halt_b is inside migration 1, whatever the machine's load (the activity snapshot is
    // cleared each time round: a transaction otherwise sees the one it read first).
    let up = "-- halt-marker\nCREATE TABLE item (id int PRIMARY KEY, name text);\n\
        DO $$ BEGIN\n\
          IF current_schema() = 'halt_a' THEN\n\
            FOR i IN 1..1200 LOOP\n\
              PERFORM pg_stat_clear_snapshot();\n\
              EXIT WHEN EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%halt' || '-marker%');\n\
              PERFORM pg_sleep(0.05);\n\
            END LOOP;\n\
            RAISE EXCEPTION 'halt_a fails';\n\
          ELSE\n\
            PERFORM pg_sleep(3);\n\
          END IF;\n\
        END $$;\n";
    let p = TempProject::with_phases(&["one"])
        .migration(1, 1, "item", up, "DROP TABLE item;\n")
        .migration(
            1,
            2,
            "item_name",
            "CREATE INDEX item_name_idx ON item (name);\n",
            "DROP INDEX item_name_idx;\n",
        );
    create_schemas(&control, &["halt_a".to_string(), "halt_b".to_string()]);
    let run = strata(&control, &p)
        .args(["apply", "--schemas", "halt_*", "--parallel", "2", "--json"])
        .run();
    run.assert_code(1);
    let json = run.json();
    assert_eq!(row(&json, "halt_a")["state"], "failed");
    let b = row(&json, "halt_b");
    assert_eq!(b["state"], "stopped", "{b}");
    assert_eq!(b["changed"], 1, "{b}");
    // The oracle: halt_b has migration 1, recorded, and not migration 2.
    assert_eq!(history(&control, "halt_b"), [1]);
    assert_eq!(objects(&control, "halt_b"), ["item", "item_pkey"]);
    assert_eq!(history(&control, "halt_a"), Vec::<i64>::new());
}

#[test]
fn an_unreachable_target_and_a_locked_one_are_reported_while_the_rest_proceed() {
    let control = TestDb::new("fleet_unreachable");
    let p = project();
    let names = tenants("ok", 4);
    create_schemas(&control, &names);
    create_schemas(&control, &["locked".to_string()]);
    let mut text = String::from("on_error = \"continue\"\n\n");
    text.push_str(&entry(
        "nowhere",
        &format!("postgres://postgres@127.0.0.1:1/{}", control.name),
        "main",
        None,
    ));
    text.push_str(&entry("locked", &url(&control), "main", Some("locked")));
    for n in &names {
        text.push_str(&entry(n, &url(&control), "main", Some(n)));
    }
    let file = targets_file(&p, &text);
    // The test holds strata's lock for the schema's history table: the key is the first 8
    // bytes of sha256('strata:' || the quoted qualified table).
    let mut holder = control.client();
    holder
        .batch_execute(
            "SELECT pg_advisory_lock(('x' || substr(encode(sha256(convert_to('strata:\"locked\".\"schema_migrations\"', 'UTF8')), 'hex'), 1, 16))::bit(64)::bigint)",
        )
        .unwrap();
    let run = strata(&control, &p)
        .args([
            "apply",
            "--targets",
            &file,
            "--lock-timeout",
            "1s",
            "--json",
        ])
        .run();
    run.assert_code(1);
    let json = run.json();
    let nowhere = row(&json, "nowhere");
    assert_eq!(nowhere["state"], "failed");
    assert!(
        nowhere["error"].as_str().unwrap().contains("127.0.0.1:1"),
        "{nowhere}"
    );
    let locked = row(&json, "locked");
    assert_eq!(locked["state"], "failed");
    assert!(
        locked["error"]
            .as_str()
            .unwrap()
            .contains("waiting for strata's lock"),
        "{locked}"
    );
    assert_eq!(history(&control, "locked"), Vec::<i64>::new());
    for n in &names {
        assert_eq!(row(&json, n)["state"], "done");
        assert_eq!(assert_history_matches_catalog(&control, n), 3);
    }
    drop(holder);
    assert!(!run.stdout.contains(&password()) && !run.stderr.contains(&password()));
}

#[test]
fn a_failing_canary_group_keeps_the_main_group_from_starting() {
    let control = TestDb::new("fleet_canary");
    let p = project();
    let canary = tenants("canary", 2);
    let main = tenants("main", 3);
    create_schemas(&control, &canary);
    create_schemas(&control, &main);
    break_schemas(&control, &canary[1..]);
    // Listed main first, but canary appears... second: groups run in first-appearance
    // order, so the file puts the canary rows first.
    let mut text = String::new();
    for n in &canary {
        text.push_str(&entry(n, &url(&control), "canary", Some(n)));
    }
    for n in &main {
        text.push_str(&entry(n, &url(&control), "main", Some(n)));
    }
    let file = targets_file(&p, &text);
    let run = strata(&control, &p)
        .args(["apply", "--targets", &file, "--on-error", "continue"])
        .run();
    run.assert_code(1);
    run.stdout_has("group canary had a failure: the groups after it were not started");
    assert_eq!(assert_history_matches_catalog(&control, &canary[0]), 3);
    for n in &main {
        assert_eq!(history(&control, n), Vec::<i64>::new(), "{n} never started");
    }
}

#[test]
fn sigint_mid_fleet_leaves_no_half_applied_migration_and_a_rerun_completes() {
    let control = TestDb::new("fleet_sigint");
    let p = project().migration(
        1,
        4,
        "slow",
        "CREATE TABLE slow (id int);\nSELECT pg_sleep(2);\n",
        "DROP TABLE slow;\n",
    );
    let names = tenants("sig", 6);
    create_schemas(&control, &names);
    let child = strata(&control, &p)
        .args(["apply", "--schemas", "sig_*", "--parallel", "2"])
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    crate::support::wait_for_query(&control, "pg_sleep(2)");
    // SAFETY: sending SIGINT to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The report is still printed: why the fleet stopped, and a row per target.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("stopped: interrupted by SIGINT"),
        "no report after Ctrl-C: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for n in &names {
        assert!(
            stdout.contains(n.as_str()),
            "{n} missing from the report: {stdout}"
        );
    }
    let mut untouched = 0;
    for n in &names {
        let recorded = history(&control, n);
        let slow = control.scalar(&format!("SELECT to_regclass('{n}.slow') IS NOT NULL")) == "t";
        // Migration 4 is there with its history row, or neither is.
        assert_eq!(slow, recorded.contains(&4), "{n}: {recorded:?}");
        if recorded.is_empty() {
            untouched += 1;
        }
    }
    assert!(
        untouched > 0,
        "Ctrl-C stopped the fleet before every target started"
    );
    strata(&control, &p)
        .args(["apply", "--schemas", "sig_*", "--parallel", "4"])
        .run()
        .success();
    for n in &names {
        assert_eq!(history(&control, n), [1, 2, 3, 4]);
    }
}

#[test]
fn two_fleet_runs_at_once_apply_each_migration_once_per_target() {
    // With the advisory lock (its key is the schema's history table) and with the lease
    // row of lock_mode = "table" (a lock table in each tenant schema).
    for (tag, settings) in [("adv", ""), ("lease", "lock_mode = \"table\"\n")] {
        let control = TestDb::new(&format!("fleet_twice_{tag}"));
        let p = TempProject::with_phases(&["one"])
            .settings(settings)
            .migration(
                1,
                1,
                "runs",
                "CREATE TABLE runs (n int);\n",
                "DROP TABLE runs;\n",
            )
            .migration(
                1,
                2,
                "count",
                "INSERT INTO runs VALUES (1);\n",
                "DELETE FROM runs;\n",
            );
        let names = tenants("twice", 20);
        create_schemas(&control, &names);
        let started = Instant::now();
        let children: Vec<_> = (0..2)
            .map(|_| {
                strata(&control, &p)
                    .args(["apply", "--schemas", "twice_*", "--parallel", "4"])
                    .command()
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(started.elapsed() < Duration::from_secs(120));
        for n in &names {
            assert_eq!(
                control.scalar(&format!("SELECT count(*) FROM {n}.runs")),
                "1",
                "{n}"
            );
            assert_eq!(history(&control, n), [1, 2]);
            let lease = control.scalar(&format!(
                "SELECT to_regclass('{n}.schema_migrations_lock') IS NOT NULL"
            ));
            assert_eq!(
                lease == "t",
                tag == "lease",
                "{n}: the lease row lives in the schema"
            );
        }
    }
}

#[test]
fn bad_fleet_input_is_one_line_and_touches_nothing() {
    let control = TestDb::new("fleet_bad");
    let p = project();
    let file = targets_file(
        &p,
        &format!(
            "[[target]]\nname = \"a\"\nurl = \"postgres://u:hunter2@/{}\"\n",
            control.name
        ),
    );
    let run = strata(&control, &p)
        .args(["apply", "--targets", &file])
        .run();
    run.one_line_error("target a: a password in the targets is refused");
    assert!(!run.stderr.contains("hunter2"));
    strata(&control, &p)
        .args(["apply", "--parallel", "2"])
        .run()
        .assert_code(1);
    strata(&control, &p)
        .args(["apply", "--schemas", "nothing_*"])
        .run()
        .one_line_error("no schema of");
    strata(&control, &p)
        .args(["status", "--targets-query", "SELECT 1 AS name"])
        .run()
        .one_line_error("the query must return columns name and url");
    assert_eq!(control.tables(), Vec::<String>::new());
}

#[test]
fn targets_from_a_query_run_in_their_groups() {
    let control = TestDb::new("fleet_query");
    let a = TestDb::new("fleet_query_a");
    let b = TestDb::new("fleet_query_b");
    let p = project();
    control.execute(&format!(
        "CREATE TABLE fleet (name text, url text, \"group\" text);
         INSERT INTO fleet VALUES ('a', '{}', 'canary'), ('b', '{}', 'main');",
        url(&a),
        url(&b)
    ));
    let run = strata(&control, &p)
        .args([
            "apply",
            "--targets-query",
            "SELECT name, url, \"group\" FROM fleet ORDER BY name",
            "--json",
        ])
        .run();
    run.success();
    let json = run.json();
    assert_eq!(row(&json, "a")["group"], "canary");
    assert_eq!(row(&json, "b")["group"], "main");
    for db in [&a, &b] {
        assert_eq!(assert_history_matches_catalog(db, "public"), 3);
    }
}
