//! A standby made by the test (`pg_basebackup -R` from a primary of its own, replication
//! over scram, no trust): writing commands refuse it even with nothing to do, read-only
//! commands work and say they ran on a standby.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use strata::local::{Cluster, ClusterOptions};

use crate::support::*;

const REPL_PASSWORD: &str = "repl-s3cret";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Makes `path` a folder owned by the server's OS user, mode `mode`.
fn server_dir(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path).expect("mkdir");
    let (uid, gid) = server_ids();
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).expect("chown");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// A command run as the server's OS user.
fn as_server(program: &Path) -> Command {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(program);
    let (uid, gid) = server_ids();
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } == 0 {
        cmd.uid(uid).gid(gid);
    }
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .current_dir("/");
    cmd
}

/// The primary and its standby; both stopped and removed when dropped.
struct Pair {
    primary: Cluster,
    standby: Cluster,
    _dir: tempfile::TempDir,
}

impl Drop for Pair {
    fn drop(&mut self) {
        let _ = self.standby.destroy();
        let _ = self.primary.destroy();
    }
}

impl Pair {
    fn start() -> Pair {
        let dir = open_tempdir();
        let primary_port = free_port();
        let standby_port = free_port();
        let settings = vec![
            ("fsync".to_string(), "off".to_string()),
            ("max_wal_senders".to_string(), "4".to_string()),
        ];
        let primary = Cluster::at(
            dir.path().join("primary"),
            ClusterOptions {
                tcp_port: Some(primary_port),
                hba_prefix: vec!["host replication replicator 127.0.0.1/32 scram-sha-256".into()],
                settings: settings.clone(),
            },
        );
        primary.start().expect("start the primary");
        let mut admin = pg(&primary.params("postgres").to_url());
        admin
            .batch_execute(&format!(
                "CREATE ROLE replicator REPLICATION LOGIN PASSWORD '{REPL_PASSWORD}'"
            ))
            .expect("replication role");
        admin
            .batch_execute("CREATE DATABASE app")
            .expect("database");
        let standby_root = dir.path().join("standby");
        let standby = Cluster::at(
            &standby_root,
            ClusterOptions {
                tcp_port: Some(standby_port),
                hba_prefix: Vec::new(),
                settings,
            },
        );
        let pair = Pair {
            primary,
            standby,
            _dir: dir,
        };
        // The replication password in a password file only the server's user reads.
        let passfile = pair._dir.path().join("repl.pgpass");
        std::fs::write(
            &passfile,
            format!("127.0.0.1:{primary_port}:*:replicator:{REPL_PASSWORD}\n"),
        )
        .unwrap();
        let (uid, gid) = server_ids();
        std::os::unix::fs::chown(&passfile, Some(uid), Some(gid)).unwrap();
        std::fs::set_permissions(
            &passfile,
            std::os::unix::fs::PermissionsExt::from_mode(0o600),
        )
        .unwrap();
        server_dir(&standby_root, 0o700);
        // The npm server packages have no client tools: PostgreSQL 15's then.
        let bins = strata::local::ServerBinaries::find().expect("server binaries");
        let basebackup = [
            bins.tool("pg_basebackup"),
            Path::new("/usr/lib/postgresql/15/bin/pg_basebackup").to_path_buf(),
        ]
        .into_iter()
        .find(|p| p.is_file())
        .expect("pg_basebackup");
        let out = as_server(&basebackup)
            .arg("-d")
            .arg(format!(
                "host=127.0.0.1 port={primary_port} user=replicator passfile={}",
                passfile.display()
            ))
            .arg("-D")
            .arg(standby_root.join("data"))
            .args(["-R", "-X", "stream", "-c", "fast", "-w"])
            .output()
            .expect("run pg_basebackup");
        assert!(
            out.status.success(),
            "pg_basebackup: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The copy has the primary's superuser; its password files go with it.
        let out = Command::new("cp")
            .arg("-a")
            .arg(pair.primary.root.join("auth"))
            .arg(&standby_root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        pair.standby.start().expect("start the standby");
        pair
    }

    fn url(cluster: &Cluster, dbname: &str) -> String {
        cluster.params(dbname).to_url()
    }

    /// Waits until the standby has replayed everything the primary wrote so far.
    fn catch_up(&self) {
        let lsn: String = pg(&Pair::url(&self.primary, "postgres"))
            .query_one("SELECT pg_current_wal_lsn()::text", &[])
            .unwrap()
            .get(0);
        let mut standby = pg(&Pair::url(&self.standby, "postgres"));
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let done: bool = standby
                .query_one(
                    "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn",
                    &[&lsn],
                )
                .unwrap()
                .get(0);
            if done {
                return;
            }
            assert!(Instant::now() < deadline, "the standby did not catch up");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn run(url: &str, project: &TempProject, args: &[&str]) -> Run {
    Strata::bare()
        .env("DATABASE_URL", url)
        .project(project)
        .args(args.iter().copied())
        .run()
}

#[test]
fn a_standby_is_refused_by_writers_read_by_readers_and_skipped_for_the_primary() {
    let pair = Pair::start();
    let project = TempProject::new()
        .migration(
            1,
            1,
            "t",
            "CREATE TABLE t (id int PRIMARY KEY, v text);\n",
            "DROP TABLE t;",
        )
        .migration(1, 2, "u", "CREATE TABLE u (id int);\n", "DROP TABLE u;");
    let primary = Pair::url(&pair.primary, "app");
    let standby = Pair::url(&pair.standby, "app");
    run(&primary, &project, &["apply", "--to", "1"]).success();
    pair.catch_up();

    // Writers refuse it, even with nothing to do (rollback and repair have nothing to
    // undo or repair here; apply --to 1 is up to date).
    for args in [
        vec!["apply", "--to", "1"],
        vec!["apply"],
        vec!["rollback", "--yes"],
        vec!["repair", "--yes"],
        vec!["baseline", "--to", "1", "--yes"],
        vec!["seed"],
        vec!["check", "--fix"],
    ] {
        let r = run(&standby, &project, &args);
        r.one_line_error("is a standby (a server in recovery, read-only)");
        assert!(r.stderr.contains("refusing to "), "{args:?}: {}", r.stderr);
    }
    // Nothing was written on the primary by those runs.
    assert_eq!(
        pg(&primary)
            .query_one("SELECT count(*)::int FROM schema_migrations", &[])
            .unwrap()
            .get::<_, i32>(0),
        1
    );

    // Readers work there, and say so.
    let status = run(&standby, &project, &["status", "--json"]);
    status.success().stderr_has("is a standby");
    let json = status.json();
    assert_eq!(json["standby"], true, "{json}");
    assert_eq!(json["summary"]["pending"], 1, "{json}");
    let status_primary = run(&primary, &project, &["status", "--json"]);
    assert!(status_primary.json().get("standby").is_none());
    run(
        &standby,
        &project,
        &[
            "diff",
            "--json",
            "--shadow-url",
            &Pair::url(&pair.primary, "postgres"),
        ],
    )
    .assert_code(2)
    .stderr_has("is a standby");
    let check = run(&standby, &project, &["check", "--json"]);
    check.stderr_has("is a standby");
    assert_eq!(check.json()["standby"], true);
    // A host list with the standby first and target_session_attrs=read-write applies on the
    // primary: tls_auth::target_session_attrs_pick_the_server_psql_picks_among_a_standby_and_a_primary.
}
