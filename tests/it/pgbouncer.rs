//! strata through a real PgBouncer (Debian's package, installed into a git-ignored cache by
//! `scripts/pgbouncer`), started by the test on a loopback port in front of the test
//! server: session mode with the advisory lock, transaction mode with `lock_mode =
//! "table"`, and a transaction-mode pooler detected when the advisory lock cannot hold.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::support::*;

/// The launcher `scripts/pgbouncer` installs, or why there is none.
fn pgbouncer_program() -> Result<PathBuf, String> {
    static PROGRAM: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    PROGRAM
        .get_or_init(|| {
            let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pgbouncer");
            let out = Command::new(script)
                .stdin(Stdio::null())
                .output()
                .map_err(|e| e.to_string())?;
            if !out.status.success() {
                return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
            }
            Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
        .clone()
}

/// The program, or `None` (with a message) where it cannot be installed; CI must have it.
fn program_or_skip(test: &str) -> Option<PathBuf> {
    match pgbouncer_program() {
        Ok(p) => Some(p),
        Err(why) => {
            assert!(
                std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false"),
                "{test}: pgbouncer could not be installed: {why}"
            );
            eprintln!("{test}: skipped: pgbouncer could not be installed: {why}");
            None
        }
    }
}

/// A PgBouncer in front of the test server; stopped when dropped.
struct Bouncer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Bouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Bouncer {
    fn start(program: &PathBuf, pool_mode: &str) -> Bouncer {
        use std::os::unix::fs::PermissionsExt;
        use std::os::unix::process::CommandExt;
        let server = server();
        let dir = open_tempdir();
        let (uid, gid) = server_ids();
        // PgBouncer (run as the server's user) writes its log here.
        std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
        let port = free_port();
        // Client and server authentication with the superuser's SCRAM secret (no password
        // in the file): PgBouncer passes the client's SCRAM proof on to the server.
        let secret: String = pg(&server.cluster.params("postgres").to_url())
            .query_one(
                "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'",
                &[],
            )
            .unwrap()
            .get(0);
        let write = |name: &str, text: String| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            std::os::unix::fs::chown(&path, Some(uid), Some(gid)).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            path
        };
        let users = write("userlist.txt", format!("\"postgres\" \"{secret}\"\n"));
        let ini = write(
            "pgbouncer.ini",
            format!(
                "[databases]\n* = host=127.0.0.1 port={backend}\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\nauth_type = scram-sha-256\nauth_file = {users}\npool_mode = {pool_mode}\nmax_client_conn = 200\ndefault_pool_size = 4\nmin_pool_size = 2\nserver_round_robin = 1\nignore_startup_parameters = extra_float_digits\nlogfile = {log}\n",
                backend = server.tcp_port,
                users = users.display(),
                log = dir.path().join("pgbouncer.log").display(),
            ),
        );
        let mut cmd = Command::new(program);
        // SAFETY: getuid has no preconditions.
        if unsafe { libc::getuid() } == 0 {
            cmd.uid(uid).gid(gid);
        }
        let child = cmd
            .arg(&ini)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pgbouncer");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "pgbouncer did not listen: {}",
                std::fs::read_to_string(dir.path().join("pgbouncer.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Bouncer {
            child,
            port,
            _dir: dir,
        }
    }

    /// A URL of `db` through the pooler (TCP, the superuser's password).
    fn url(&self, db: &TestDb) -> String {
        let password = server().cluster.password().unwrap();
        format!(
            "postgres://postgres:{}@127.0.0.1:{}/{}?sslmode=disable",
            percent_encoding::utf8_percent_encode(&password, percent_encoding::NON_ALPHANUMERIC),
            self.port,
            db.name
        )
    }
}

fn logging_project(settings: &str) -> TempProject {
    let mut project = TempProject::new()
        .settings(settings)
        .migration(
            1,
            1,
            "log",
            "CREATE TABLE log (version int NOT NULL);\nINSERT INTO log VALUES (1);\nSELECT pg_sleep(0.2);\n",
            "DROP TABLE log;",
        );
    for v in 2..=4 {
        project = project.migration(
            2,
            v,
            &format!("step{v}"),
            &format!(
                "CREATE TABLE t{v} (id int PRIMARY KEY, v text);\nINSERT INTO log VALUES ({v});\n"
            ),
            &format!("DROP TABLE t{v};"),
        );
    }
    project
}

fn run(url: &str, project: &TempProject, args: &[&str]) -> Run {
    Strata::bare()
        .env("DATABASE_URL", url)
        .project(project)
        .args(args.iter().copied())
        .run()
}

/// Every command through the pooler; 8 concurrent applies run each migration once.
fn every_command_through(pool_mode: &str, settings: &str) {
    let test = format!("pgbouncer {pool_mode} mode");
    let Some(program) = program_or_skip(&test) else {
        return;
    };
    let bouncer = Bouncer::start(&program, pool_mode);
    let db = TestDb::new(&format!("bouncer_{pool_mode}"));
    let project = logging_project(settings);
    let url = bouncer.url(&db);
    let children: Vec<_> = (0..8)
        .map(|_| {
            Strata::bare()
                .env("DATABASE_URL", &url)
                .project(&project)
                .args(["apply"])
                .command()
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn strata")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{test}: apply: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Exactly once each, read directly from the server.
    assert_eq!(
        db.column("SELECT version || ':' || count(*) FROM log GROUP BY version ORDER BY version"),
        vec!["1:1", "2:1", "3:1", "4:1"]
    );
    run(&url, &project, &["status"])
        .success()
        .stdout_has("applied");
    run(&url, &project, &["diff"]).success();
    run(&url, &project, &["check"]).success();
    run(&url, &project, &["rollback", "--yes"]).success();
    assert!(!db.tables().contains(&"t4".to_string()));
    run(&url, &project, &["apply"]).success();
    assert_eq!(db.recorded(), vec![1, 2, 3, 4]);

    // Seeding (binary COPY in one transaction) and checking a VRSS database.
    let vrss = TestDb::vrss(&format!("bouncer_seed_{pool_mode}"));
    let checkout = crate::seed::vrss_project_copy();
    if !settings.is_empty() {
        let toml = checkout.path().join("schema.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        std::fs::write(&toml, format!("{text}\n[settings]\n{settings}")).unwrap();
    }
    let vrss_url = bouncer.url(&vrss);
    let seeded = Strata::bare()
        .env("DATABASE_URL", &vrss_url)
        .project_dir(checkout.path())
        .args(["seed", "--profile", "load", "--scale", "0.01"])
        .run();
    seeded.success();
    assert_eq!(vrss.scalar("SELECT count(*) FROM users"), "1000");
    Strata::bare()
        .env("DATABASE_URL", &vrss_url)
        .project_dir(checkout.path())
        .args(["check"])
        .run()
        .success();
}

#[test]
fn every_command_works_through_pgbouncer_in_session_mode() {
    every_command_through("session", "");
}

#[test]
fn every_command_works_through_pgbouncer_in_transaction_mode_with_the_table_lock() {
    every_command_through("transaction", "lock_mode = \"table\"\n");
}

#[test]
fn a_transaction_mode_pooler_is_detected_when_the_advisory_lock_cannot_hold() {
    let Some(program) = program_or_skip("pgbouncer transaction mode, advisory lock") else {
        return;
    };
    let bouncer = Bouncer::start(&program, "transaction");
    let db = TestDb::new("bouncer_detect");
    let project = logging_project("");
    let url = bouncer.url(&db);
    // Two server sessions in the pool (two transactions open at once), which the pooler
    // then hands out in turn (server_round_robin): consecutive statements of one client
    // run on different sessions, as they do on a busy pooler.
    let mut a = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut b = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut ta = a.transaction().unwrap();
    let mut tb = b.transaction().unwrap();
    ta.batch_execute("SELECT 1").unwrap();
    tb.batch_execute("SELECT 1").unwrap();
    ta.commit().unwrap();
    tb.commit().unwrap();
    run(&url, &project, &["apply"])
        .one_line_error("A connection pooler in transaction mode")
        .stderr_has("set lock_mode = \"table\" in the [settings] of schema.toml");
    assert!(db.tables().is_empty(), "{:?}", db.tables());
}
