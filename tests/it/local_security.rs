//! The local database against a hostile machine: a second OS user, a caller's secrets in
//! the environment, project paths made to break a shell, `.strata` links into other
//! users' folders, and a cluster an older strata made with `trust`.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use strata::local::{Cluster, ClusterOptions};

use crate::support::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn another_os_user_cannot_reach_the_local_database_and_the_server_holds_no_caller_secrets() {
    if !running_as_root("local database privacy") {
        return;
    }
    let dir = open_tempdir();
    let project = sample_project();
    let path = dir.path().join("proj");
    std::fs::rename(project.path(), &path).unwrap();
    let port = free_port();
    Strata::bare()
        .project_dir(&path)
        .env("PGPASSWORD", "pgpw-marker-1")
        .env("DATABASE_URL", "postgres://app:url-secret-2@127.0.0.1:1/x")
        .env("STRATA_TEST_MARKER", "marker-3")
        .args(["local", "start", "--tcp-port", &port.to_string()])
        .run()
        .success();
    let status = Strata::bare()
        .project_dir(&path)
        .args(["local", "status", "--json"])
        .run();
    status.success();
    let status = status.json()["status"].clone();
    assert_eq!(status["authentication"], "scram-sha-256");
    let socket_dir = status["socket_dir"].as_str().unwrap().to_string();
    let password_file = status["password_file"].as_str().unwrap().to_string();
    let pgpass = status["pgpass_file"].as_str().unwrap().to_string();

    // The server's environment holds nothing of the caller's.
    let pid = status["pid"].as_u64().unwrap();
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    let environ = String::from_utf8_lossy(&environ);
    for secret in [
        "pgpw-marker-1",
        "url-secret-2",
        "marker-3",
        "PGPASSWORD=",
        "DATABASE_URL=",
        "STRATA_TEST_MARKER=",
    ] {
        assert!(!environ.contains(secret), "{secret} in {environ}");
    }

    // Folders and files: private.
    let mode = |p: &str| std::fs::metadata(p).unwrap().mode() & 0o777;
    assert_eq!(mode(&socket_dir), 0o700);
    assert_eq!(mode(&password_file), 0o600);
    assert_eq!(mode(&pgpass), 0o600);
    assert_eq!(
        mode(
            Path::new(&password_file)
                .parent()
                .unwrap()
                .to_str()
                .unwrap()
        ),
        0o700
    );

    let intruder = OsUser::create("intruder");
    let p = port.to_string();
    for (what, args) in [
        (
            "socket as postgres",
            vec!["-h", &socket_dir, "-p", &p, "-U", "postgres"],
        ),
        ("socket as itself", vec!["-h", &socket_dir, "-p", &p]),
        (
            "TCP as postgres",
            vec!["-h", "127.0.0.1", "-p", &p, "-U", "postgres"],
        ),
        ("TCP as itself", vec!["-h", "127.0.0.1", "-p", &p]),
    ] {
        let out = intruder
            .command("psql")
            .args(["-X", "-w", "-d", "it", "-c", "SELECT 1"])
            .args(&args)
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "{what}: the other user connected: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    for file in [&password_file, &pgpass] {
        let out = intruder.command("cat").arg(file).output().unwrap();
        assert!(!out.status.success(), "the other user read {file}");
        assert!(out.stdout.is_empty());
    }

    // The owner connects: over TCP with the password file (and not without it), over the
    // socket as it is.
    let tcp = format!("host=127.0.0.1 port={port} user=postgres dbname=it");
    let (ok, out) = psql(&tcp, "SELECT current_user", &[("PGPASSFILE", &pgpass)]);
    assert!(ok, "{out}");
    assert_eq!(out.trim(), "postgres");
    let (ok, _) = psql(&tcp, "SELECT 1", &[]);
    assert!(!ok, "TCP without the password must be refused");
    let (ok, out) = psql(
        &format!("host={socket_dir} port={port} user=postgres dbname=it"),
        "SELECT 1",
        &[],
    );
    assert!(ok, "{out}");
    // `local url` hides the password; --with-password gives it, and it works.
    let url = Strata::bare()
        .project_dir(&path)
        .args(["local", "url"])
        .run();
    let password = std::fs::read_to_string(&password_file).unwrap();
    assert!(!url.stdout.contains(password.trim()));
    let with = Strata::bare()
        .project_dir(&path)
        .args(["local", "url", "--with-password"])
        .run();
    assert!(with.stdout.contains(password.trim()));
    Strata::bare()
        .project_dir(&path)
        .args(["local", "destroy", "--yes"])
        .run()
        .success();
}

#[test]
fn project_paths_that_would_break_a_shell_work_or_are_refused_and_run_nothing() {
    let dir = open_tempdir();
    let names = [
        "with space",
        "$(touch pwned)",
        "back`touch pwned`tick",
        "quo'te\"s;touch pwned",
        "new\nline",
        "ünïcödé-名前",
    ];
    std::thread::scope(|scope| {
        for (i, name) in names.into_iter().enumerate() {
            let dir = dir.path();
            scope.spawn(move || one_path(dir, i, name));
        }
    });
    assert_no_file_named(dir.path(), "pwned");
    assert!(!Path::new("pwned").exists() && !Path::new("/tmp/pwned").exists());
}

/// One project path of the test above: apply, look for what a shell would have made,
/// destroy.
fn one_path(dir: &Path, i: usize, name: &str) {
    let parent = dir.join(format!("case{i}"));
    std::fs::create_dir(&parent).unwrap();
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = parent.join(name);
    std::fs::rename(sample_project().path(), &path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = Strata::bare().project_dir(&path).args(["apply"]).command();
    let out = cmd.current_dir(&parent).output().unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    if name.contains('\n') {
        run.one_line_error("contains a control character");
        assert!(!path.join(".strata").exists());
    } else {
        run.success().stdout_has("5 applied, 0 pending");
    }
    assert_no_file_named(&parent, "pwned");
    Strata::bare()
        .project_dir(&path)
        .args(["local", "destroy", "--yes"])
        .run()
        .success();
}

fn assert_no_file_named(root: &Path, name: &str) {
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        assert_ne!(
            entry.file_name().to_string_lossy(),
            name,
            "{}",
            entry.path().display()
        );
        if entry.file_type().unwrap().is_dir() {
            assert_no_file_named(&entry.path(), name);
        }
    }
}

#[test]
fn a_strata_link_into_another_users_folder_is_refused_and_the_target_left_alone() {
    if !running_as_root("links into other users' folders") {
        return;
    }
    let dir = open_tempdir();
    // A folder of another user, and a private folder like /root with a file in it.
    let other = dir.path().join("other-user");
    std::fs::create_dir(&other).unwrap();
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o750)).unwrap();
    std::os::unix::fs::chown(&other, Some(65534), Some(65534)).unwrap();
    let private = dir.path().join("root-like");
    std::fs::create_dir(&private).unwrap();
    std::fs::write(private.join("secret"), "keep").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    for target in [&other, &private] {
        let before = std::fs::metadata(target).unwrap();
        let entries = |p: &Path| {
            let mut v: Vec<_> = std::fs::read_dir(p)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            v.sort();
            v
        };
        let listed = entries(target);
        let project = sample_project();
        std::fs::set_permissions(project.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::symlink(target, project.path().join(".strata")).unwrap();
        for args in [
            &["status"][..],
            &["local", "start"],
            &["local", "destroy", "--yes"],
        ] {
            Strata::bare()
                .project(&project)
                .args(args.iter().copied())
                .run()
                .one_line_error("is a link");
        }
        let after = std::fs::metadata(target).unwrap();
        assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
        assert_eq!(after.mode(), before.mode());
        assert_eq!(entries(target), listed);
    }
}

/// Turns a cluster strata made into one an older strata would have made: trust everywhere,
/// no password, no password files.
fn make_it_a_trust_cluster(cluster: &Cluster) {
    let mut admin =
        postgres::Client::connect(&cluster.params("postgres").to_url(), postgres::NoTls).unwrap();
    admin
        .batch_execute("ALTER ROLE postgres PASSWORD NULL")
        .unwrap();
    let hba = cluster.data_dir().join("pg_hba.conf");
    std::fs::write(
        &hba,
        "# written by strata\nlocal all all trust\nhost all all 127.0.0.1/32 trust\n",
    )
    .unwrap();
    admin.batch_execute("SELECT pg_reload_conf()").unwrap();
    std::fs::remove_dir_all(cluster.root.join("auth")).unwrap();
}

#[test]
fn a_trust_cluster_is_converted_at_its_next_start_running_or_stopped() {
    std::thread::scope(|scope| {
        for running in [true, false] {
            scope.spawn(move || converted(running));
        }
    });
}

/// A trust cluster, running or stopped, converted by `local start`.
fn converted(running: bool) {
    let dir = open_tempdir();
    let project = sample_project();
    let path = dir.path().join("proj");
    std::fs::rename(project.path(), &path).unwrap();
    Strata::bare()
        .project_dir(&path)
        .args(["local", "start"])
        .run()
        .success();
    let cluster = Cluster::at(path.join(".strata"), ClusterOptions::default());
    make_it_a_trust_cluster(&cluster);
    let status = Strata::bare()
        .project_dir(&path)
        .args(["local", "status"])
        .run();
    status
        .success()
        .stdout_has("authentication: trust: any local user can connect");
    if !running {
        cluster.stop().unwrap();
    }
    let start = Strata::bare()
        .project_dir(&path)
        .args(["local", "start"])
        .run();
    start.success().stdout_has("converted from trust");
    // The catalog has a SCRAM verifier, pg_hba.conf no trust, the owner its files.
    let hba = std::fs::read_to_string(cluster.data_dir().join("pg_hba.conf")).unwrap();
    assert!(
        !hba.lines()
            .any(|l| !l.starts_with('#') && l.contains("trust")),
        "{hba}"
    );
    let password = cluster.password().unwrap();
    let mut admin =
        postgres::Client::connect(&cluster.params("postgres").to_url(), postgres::NoTls).unwrap();
    let verifier: String = admin
        .query_one(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(verifier.starts_with("SCRAM-SHA-256$"), "{verifier}");
    assert!(!verifier.contains(&password));
    // A role that is not the owner's superuser needs the password over the socket now.
    admin.batch_execute("CREATE ROLE someone LOGIN").unwrap();
    drop(admin);
    let socket = cluster.socket_dir();
    let (ok, out) = psql(
        &format!("host={} user=someone dbname=postgres", socket.display()),
        "SELECT 1",
        &[],
    );
    assert!(!ok, "trust is gone: {out}");
    let status = Strata::bare()
        .project_dir(&path)
        .args(["local", "status", "--json"])
        .run();
    let json = status.json();
    assert_eq!(json["status"]["authentication"], "scram-sha-256");
    assert!(json["status"]["converted_from_trust"].is_string());
    Strata::bare()
        .project_dir(&path)
        .args(["apply"])
        .run()
        .success()
        .stdout_has("5 applied");
    Strata::bare()
        .project_dir(&path)
        .args(["local", "destroy", "--yes"])
        .run()
        .success();
}
