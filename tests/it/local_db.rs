//! The local database: started on demand when nothing is configured, managed by
//! `strata local`.

use std::os::unix::fs::PermissionsExt;

use strata::local::{Cluster, ClusterOptions};

use crate::support::*;

#[test]
fn local_database_starts_on_demand_and_is_managed_by_local_commands() {
    let project = sample_project();
    // The server runs as another OS user when tests run as root: let it reach the folder.
    std::fs::set_permissions(project.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let root = project.path().join(".strata");

    let run = Strata::bare().project(&project).args(["apply"]).run();
    run.success()
        .stderr_has("started the local database")
        .stdout_has("5 applied, 0 pending");
    assert!(root.join("data/PG_VERSION").is_file());

    let status = Strata::bare()
        .project(&project)
        .args(["local", "status", "--json"])
        .run();
    status.success();
    assert_eq!(status.json()["status"]["running"], true);

    let url = Strata::bare()
        .project(&project)
        .args(["local", "url"])
        .run();
    url.success();
    let url = url.stdout.trim().to_string();
    assert!(url.starts_with("postgres://postgres@/it?host="), "{url}");
    // The URL reaches the database apply used.
    let mut client = postgres::Client::connect(
        &format!("host={} port=5432 user=postgres dbname=it", root.display()),
        postgres::NoTls,
    )
    .unwrap();
    let tables: i64 = client
        .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'", &[])
        .unwrap()
        .get(0);
    assert_eq!(tables, 3);
    drop(client);

    // A second command finds it running and says nothing about starting it.
    let again = Strata::bare().project(&project).args(["status"]).run();
    again.success();
    assert!(!again.stderr.contains("started the local database"));

    Strata::bare()
        .project(&project)
        .args(["local", "stop"])
        .run()
        .success()
        .stdout_has("stopped");
    let status = Strata::bare()
        .project(&project)
        .args(["local", "status", "--json"])
        .run();
    assert_eq!(status.json()["status"]["running"], false);

    Strata::bare()
        .project(&project)
        .args(["local", "destroy"])
        .run()
        .one_line_error("pass --yes");
    assert!(root.exists());
    Strata::bare()
        .project(&project)
        .args(["local", "destroy", "--yes"])
        .run()
        .success();
    assert!(!root.exists());
}

#[test]
fn missing_server_binaries_are_named_with_the_package_to_install() {
    let project = sample_project();
    Strata::bare()
        .project(&project)
        .env("STRATA_PG_BINDIR", "/nonexistent/bin")
        .args(["status"])
        .run()
        .one_line_error("PostgreSQL server binaries (initdb, pg_ctl) not found")
        .stderr_has("apt-get install postgresql")
        .stderr_has("DATABASE_URL");
    assert!(!project.path().join(".strata").exists());
}

#[test]
fn a_relative_project_path_gets_its_local_database_in_the_project() {
    let project = sample_project();
    std::fs::set_permissions(project.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = Strata::bare()
        .args(["--project", ".", "local", "start"])
        .command();
    let out = cmd.current_dir(project.path()).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(project.path().join(".strata/data/PG_VERSION").is_file());
    let mut cmd = Strata::bare()
        .args(["--project", ".", "local", "destroy", "--yes"])
        .command();
    assert!(cmd
        .current_dir(project.path())
        .output()
        .unwrap()
        .status
        .success());
    assert!(!project.path().join(".strata").exists());
}

#[test]
fn local_start_with_a_tcp_port_also_listens_on_loopback_and_remembers_it() {
    let project = sample_project();
    std::fs::set_permissions(project.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let start = Strata::bare()
        .project(&project)
        .args(["local", "start", "--tcp-port", &port.to_string(), "--json"])
        .run();
    start.success();
    let tcp_url = format!("postgres://postgres@127.0.0.1:{port}/it");
    assert_eq!(start.json()["tcp_url"], tcp_url.as_str());
    // Without the password, TCP is refused; with it (from the owner's password file), another
    // tool reaches it over TCP, and strata too.
    let password = Cluster::at(project.path().join(".strata"), ClusterOptions::default())
        .password()
        .unwrap();
    assert!(postgres::Client::connect(
        &format!("host=127.0.0.1 port={port} user=postgres dbname=it"),
        postgres::NoTls,
    )
    .is_err());
    let tcp_url = format!("postgres://postgres:{password}@127.0.0.1:{port}/it");
    let mut client = postgres::Client::connect(
        &format!("host=127.0.0.1 port={port} user=postgres dbname=it password={password}"),
        postgres::NoTls,
    )
    .unwrap();
    let addr: String = client
        .query_one("SELECT host(inet_client_addr())", &[])
        .unwrap()
        .get(0);
    assert_eq!(addr, "127.0.0.1");
    drop(client);
    Strata::bare()
        .project(&project)
        .args(["--database-url", &tcp_url, "apply"])
        .run()
        .success()
        .stdout_has("5 applied, 0 pending");
    // Later commands without the flag use the remembered port (the socket carries it).
    let url = Strata::bare()
        .project(&project)
        .args(["local", "url"])
        .run();
    url.success().stdout_has(&format!("port={port}"));
    Strata::bare()
        .project(&project)
        .args(["status"])
        .run()
        .success()
        .stdout_has("5 applied, 0 pending");
    // The port cannot change while the server runs.
    Strata::bare()
        .project(&project)
        .args([
            "local",
            "start",
            "--tcp-port",
            &(port.wrapping_add(1)).to_string(),
        ])
        .run()
        .one_line_error("already running on port");
    Strata::bare()
        .project(&project)
        .args(["local", "destroy", "--yes"])
        .run()
        .success();
}

#[test]
fn a_tcp_port_the_server_could_not_use_is_not_remembered() {
    let project = sample_project();
    std::fs::set_permissions(project.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    Strata::bare()
        .project(&project)
        .args(["local", "start", "--tcp-port", "0"])
        .run()
        .one_line_error("--tcp-port");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    Strata::bare()
        .project(&project)
        .args(["local", "start", "--tcp-port", &port])
        .run()
        .one_line_error("Address already in use");
    let status = Strata::bare()
        .project(&project)
        .args(["local", "status", "--json"])
        .run();
    status.success();
    assert!(
        status.json()["status"]["tcp_port"].is_null(),
        "{}",
        status.stdout
    );
    // Later commands work, on the socket alone.
    Strata::bare()
        .project(&project)
        .args(["apply"])
        .run()
        .success()
        .stdout_has("5 applied");
    let url = Strata::bare()
        .project(&project)
        .args(["local", "url"])
        .run();
    assert!(!url.stdout.contains(&port), "{}", url.stdout);
    Strata::bare()
        .project(&project)
        .args(["local", "destroy", "--yes"])
        .run()
        .success();
}

#[test]
fn the_local_database_starts_on_every_installed_postgresql_version_13_to_18() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = repo.join("scripts/pg-versions");
    // 13 and 18 at least (installed in seconds from the npm registry into a git-ignored
    // cache); any other version already installed is tested too.
    let install = std::process::Command::new(&script)
        .args(["13", "18"])
        .output()
        .unwrap();
    if !install.status.success() {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false"),
            "scripts/pg-versions 13 18: {}",
            String::from_utf8_lossy(&install.stderr)
        );
        eprintln!("PostgreSQL 13-18: skipped (scripts/pg-versions could not install 13 and 18)");
        return;
    }
    let bindirs: Vec<(u32, String)> = (13..=18)
        .filter_map(|major| {
            let out = std::process::Command::new(&script)
                .args(["--bindir", &major.to_string()])
                .output()
                .ok()?;
            out.status.success().then(|| {
                (
                    major,
                    String::from_utf8_lossy(&out.stdout).trim().to_string(),
                )
            })
        })
        .collect();
    let majors: Vec<u32> = bindirs.iter().map(|(m, _)| *m).collect();
    assert!(majors.contains(&13) && majors.contains(&18), "{majors:?}");
    std::thread::scope(|scope| {
        for (major, bindir) in &bindirs {
            scope.spawn(move || starts_on(*major, bindir));
        }
    });
}

/// Apply, the server's version and password, destroy: on one major version.
fn starts_on(major: u32, bindir: &str) {
    let project = sample_project();
    std::fs::set_permissions(project.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let strata = |args: &[&str]| {
        Strata::bare()
            .project(&project)
            .env("STRATA_PG_BINDIR", bindir)
            .args(args.iter().copied())
            .run()
    };
    strata(&["apply"]).success().stdout_has("5 applied");
    let cluster = Cluster::at(project.path().join(".strata"), ClusterOptions::default());
    let mut client =
        postgres::Client::connect(&cluster.params("it").to_url(), postgres::NoTls).unwrap();
    let version: String = client
        .query_one("SELECT current_setting('server_version_num')", &[])
        .unwrap()
        .get(0);
    assert_eq!(version[..2].parse::<u32>().unwrap(), major, "{bindir}");
    let verifier: String = client
        .query_one(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(verifier.starts_with("SCRAM-SHA-256$"), "PostgreSQL {major}");
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 4, "PostgreSQL {major}: a, b, c and the history");
    drop(client);
    strata(&["local", "destroy", "--yes"]).success();
}
