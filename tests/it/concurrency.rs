//! Two writers at once: the advisory lock makes the second wait, then find nothing to do.

use std::process::Stdio;

use crate::support::*;

fn logging_project() -> TempProject {
    // Every migration leaves a row in `log` (data, not history), so the number of times each
    // one ran can be counted from the database itself.
    let mut project = TempProject::new().migration(
        1,
        1,
        "log",
        "CREATE TABLE log (version int NOT NULL);\nINSERT INTO log VALUES (1);\nSELECT pg_sleep(0.3);\n",
        "DROP TABLE log;",
    );
    for v in 2..=6 {
        project = project.migration(
            2,
            v,
            &format!("step{v}"),
            &format!("CREATE TABLE t{v} (id int);\nINSERT INTO log VALUES ({v});\nSELECT pg_sleep(0.1);\n"),
            &format!("DROP TABLE t{v};"),
        );
    }
    project
}

#[test]
fn concurrent_applies_run_each_migration_exactly_once() {
    let db = TestDb::new("conc_apply");
    let project = logging_project();
    let children: Vec<_> = (0..4)
        .map(|_| {
            Strata::on(&db)
                .project(&project)
                .args(["apply", "--json"])
                .command()
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut applied_counts = Vec::new();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        applied_counts.push(json["applied"].as_array().unwrap().len());
    }
    // Exactly one run did the work; the others waited and found nothing to do.
    applied_counts.sort();
    assert_eq!(applied_counts, vec![0, 0, 0, 6]);
    assert_eq!(
        db.column("SELECT version || ':' || count(*) FROM log GROUP BY version ORDER BY version"),
        vec!["1:1", "2:1", "3:1", "4:1", "5:1", "6:1"]
    );
}

#[test]
fn a_lock_held_beyond_the_timeout_fails_naming_the_holder() {
    let db = TestDb::new("conc_lock");
    let project = logging_project();
    let key = strata::lock::lock_key(&strata::history::History::new(
        "public",
        "schema_migrations",
    ));
    let mut holder = postgres::Config::new()
        .host_path(server().cluster.socket_dir())
        .port(server().cluster.port())
        .user("postgres")
        .dbname(&db.name)
        .application_name("deploy-bot")
        .connect(postgres::NoTls)
        .unwrap();
    holder
        .execute("SELECT pg_advisory_lock($1)", &[&key])
        .unwrap();
    let holder_pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let run = Strata::on(&db)
        .project(&project)
        .args(["apply", "--lock-timeout", "300ms"])
        .run();
    run.one_line_error("timed out")
        .stderr_has(&format!("held by pid {holder_pid}"))
        .stderr_has("deploy-bot");
    assert!(db.tables().is_empty());
    holder
        .execute("SELECT pg_advisory_unlock($1)", &[&key])
        .unwrap();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(db.tables().len(), 6);
}

#[test]
fn the_lock_table_mode_serialises_writers_and_names_a_holder() {
    let db = TestDb::new("conc_table_lock");
    let project = logging_project().settings("lock_mode = \"table\"\n");
    run_concurrently(&db, &project, 4, &["apply"]);
    assert_eq!(
        db.column("SELECT version || ':' || count(*) FROM log GROUP BY version ORDER BY version"),
        vec!["1:1", "2:1", "3:1", "4:1", "5:1", "6:1"]
    );
    // Released: nobody holds it.
    assert_eq!(
        db.scalar("SELECT count(*) FROM schema_migrations_lock WHERE holder IS NOT NULL"),
        "0"
    );
    // strata's own lock table is not schema drift.
    Strata::on(&db)
        .project(&project)
        .args(["diff"])
        .run()
        .success();
    // A live lease held elsewhere: the run times out naming it; an expired one is taken over.
    db.execute("UPDATE schema_migrations_lock SET holder = 'other', pid = 4242, application = 'deploy-bot', username = 'ci', locked_at = now(), expires_at = now() + interval '1 hour'");
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--yes", "--lock-timeout", "300ms"])
        .run()
        .one_line_error("held by pid 4242 (application 'deploy-bot'");
    db.execute("UPDATE schema_migrations_lock SET expires_at = now() - interval '1 second'");
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--yes", "--lock-timeout", "2s"])
        .run()
        .success();
}
