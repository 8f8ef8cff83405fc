//! A fleet keeps a tenant's connection for the next tenant of the same database only when
//! it can hand it over as a new one: every session state a migration can leave behind is
//! gone, what cannot be reset (a prepared statement made by SQL) closes it, and a failed
//! target's connection is never kept. Each tenant's first migration writes what its
//! session looks like, read back here from the tenant's own table — the backend's pid tells
//! whether the connection was kept.

use crate::support::{server, Strata, TempProject, TestDb};

/// What a session looks like, one row, then (in `leak`) state a migration leaves behind.
fn project(leak: &str) -> TempProject {
    let observe = "CREATE TABLE seen AS SELECT
        pg_catalog.pg_backend_pid() AS pid,
        pg_catalog.current_setting('work_mem') AS work_mem,
        pg_catalog.current_setting('application_name') AS app,
        (SELECT count(*) FROM pg_catalog.pg_listening_channels()) AS listening,
        (SELECT count(*) FROM pg_catalog.pg_cursors) AS cursors,
        (SELECT count(*) FROM pg_catalog.pg_prepared_statements WHERE from_sql) AS prepared,
        (SELECT count(*) FROM pg_catalog.pg_locks
          WHERE locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid() AND objid = 4242) AS advisory,
        pg_catalog.to_regclass('pg_temp.leak') IS NOT NULL AS temp_table;\n";
    TempProject::with_phases(&["one"])
        .migration(
            1,
            1,
            "observe_then_leak",
            &format!("{observe}{leak}"),
            "DROP TABLE seen;\n",
        )
        .migration(
            1,
            2,
            "item",
            "CREATE TABLE item (id int PRIMARY KEY);\n",
            "DROP TABLE item;\n",
        )
}

/// Every session state a migration can leave that `DISCARD ALL` would clear but for
/// prepared statements.
const LEAK: &str = "SET work_mem = '7MB';
SELECT pg_catalog.set_config('application_name', 'leaked', false);
LISTEN leak;
DECLARE leak_cursor CURSOR WITH HOLD FOR SELECT 1;
SELECT pg_catalog.pg_advisory_lock(4242);
CREATE TEMP TABLE leak (x int);
";

fn create_schemas(db: &TestDb, names: &[&str]) {
    db.execute(
        &names
            .iter()
            .map(|n| format!("CREATE SCHEMA {n};"))
            .collect::<String>(),
    );
}

/// `seen` of `schema`: pid and the rest of the row.
fn seen(db: &TestDb, schema: &str) -> (String, Vec<String>) {
    let row = db.column(&format!(
        "SELECT concat_ws('|', work_mem, app, listening, cursors, prepared, advisory, temp_table) FROM {schema}.seen"
    ));
    let pid = db.scalar(&format!("SELECT pid FROM {schema}.seen"));
    (pid, row)
}

/// What a new session of `strata apply` looks like: the server's own work_mem, nothing held.
fn fresh_session(db: &TestDb) -> Vec<String> {
    vec![format!(
        "{}|strata apply|0|0|0|0|f",
        db.scalar("SELECT current_setting('work_mem')")
    )]
}

#[test]
fn a_kept_connection_is_reset_before_the_next_tenant_uses_it() {
    let db = TestDb::new("fleet_reset");
    let names = ["reset_a", "reset_b", "reset_c"];
    create_schemas(&db, &names);
    Strata::on(&db)
        .project(&project(LEAK))
        .args(["apply", "--schemas", "reset_*", "--parallel", "1"])
        .run()
        .success();
    let (first, _) = seen(&db, names[0]);
    for n in names {
        let (pid, row) = seen(&db, n);
        // One connection for the three (the backend's pid), and each found it as new.
        assert_eq!(pid, first, "{n}: the connection was not kept");
        assert_eq!(
            row,
            fresh_session(&db),
            "{n}: state left by the tenant before"
        );
        assert_eq!(
            db.column(&format!(
                "SELECT version FROM {n}.schema_migrations ORDER BY 1"
            )),
            ["1", "2"]
        );
    }
    // The fleet ended: no session of it is left on the server.
    assert_eq!(
        db.scalar(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = {first}"
        )),
        "0"
    );
}

#[test]
fn a_prepared_statement_or_a_failure_closes_the_connection() {
    let db = TestDb::new("fleet_noreuse");
    // A statement prepared by SQL cannot be cleared without the driver's own: not kept.
    let names = ["prep_a", "prep_b"];
    create_schemas(&db, &names);
    Strata::on(&db)
        .project(&project("PREPARE leak_stmt AS SELECT 1;\n"))
        .args(["apply", "--schemas", "prep_*", "--parallel", "1"])
        .run()
        .success();
    let (a, row_a) = seen(&db, names[0]);
    let (b, row_b) = seen(&db, names[1]);
    assert_ne!(a, b, "a session with a prepared statement was kept");
    assert_eq!(row_a, fresh_session(&db));
    assert_eq!(row_b, fresh_session(&db));

    // A target that failed: its connection is closed, the next tenant gets a new one.
    let names = ["fail_a", "fail_b", "fail_c"];
    create_schemas(&db, &names);
    db.execute("CREATE TABLE fail_b.item (id int);");
    let run = Strata::on(&db)
        .project(&project(""))
        .args([
            "apply",
            "--schemas",
            "fail_*",
            "--parallel",
            "1",
            "--on-error",
            "continue",
        ])
        .run();
    run.assert_code(1);
    let (a, _) = seen(&db, "fail_a");
    let (b, _) = seen(&db, "fail_b");
    let (c, row_c) = seen(&db, "fail_c");
    assert_eq!(a, b, "the first connection was kept for the second tenant");
    assert_ne!(b, c, "the failed target's connection was used again");
    assert_eq!(row_c, fresh_session(&db));
}

/// The URL of `db` without its password (the run reads it from PGPASSWORD).
fn url(db: &TestDb) -> String {
    let mut params = server().cluster.params(&db.name);
    params.password = None;
    params.to_url()
}

#[test]
fn a_thread_keeps_one_connection_whichever_databases_its_tenants_are_in() {
    let (x, y) = (TestDb::new("fleet_keep_x"), TestDb::new("fleet_keep_y"));
    create_schemas(&x, &["k1", "k2", "k3"]);
    create_schemas(&y, &["k1"]);
    let p = project("");
    let target = |name: &str, db: &TestDb, schema: &str| {
        format!(
            "[[target]]\nname = \"{name}\"\nurl = \"{}\"\nschema = \"{schema}\"\n\n",
            url(db)
        )
    };
    let file = [
        target("x1", &x, "k1"),
        target("x2", &x, "k2"),
        target("y1", &y, "k1"),
        target("x3", &x, "k3"),
    ]
    .concat();
    p.write("targets.toml", &file);
    let password = server()
        .cluster
        .password()
        .expect("the test server's password");
    Strata::on(&x)
        .project(&p)
        .env("PGPASSWORD", &password)
        .args([
            "apply",
            "--targets",
            &p.path().join("targets.toml").display().to_string(),
            "--parallel",
            "1",
        ])
        .run()
        .success();
    let pid = |db: &TestDb, schema: &str| seen(db, schema).0;
    // x2 follows x1 on the kept connection; y1 is another database, so x1's connection was
    // closed rather than kept beside y1's, and x3 starts a new one.
    assert_eq!(pid(&x, "k1"), pid(&x, "k2"));
    assert_ne!(pid(&x, "k3"), pid(&x, "k1"));
    for (db, schema) in [(&x, "k1"), (&x, "k2"), (&x, "k3"), (&y, "k1")] {
        assert_eq!(seen(db, schema).1, fresh_session(db), "{schema}");
    }
}
