//! Connection parameters against a server made in the test, each case run by strata and by
//! psql (libpq) with the same connection string: both must connect, or both refuse. A
//! self-signed server certificate given as its own root, client-certificate
//! authentication, channel_binding, and target_session_attrs over a primary and a standby
//! made with pg_basebackup.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use strata::local::{Cluster, ClusterOptions, ServerBinaries};

use crate::support::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn write_owned(path: &Path, text: &str, mode: u32) {
    let (uid, gid) = server_ids();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
}

/// A self-signed certificate marked as a CA, as `openssl req -x509` makes by default.
fn self_signed_server(name: &str) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![name.to_string()]).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), key.serialize_pem())
}

struct Server {
    cluster: Cluster,
    port: u16,
    password: String,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.cluster.destroy();
    }
}

/// Stops and removes a cluster when the test ends, passed or not.
struct Stopped(Cluster);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.destroy();
    }
}

fn start_server() -> Server {
    let dir = open_tempdir();
    let port = free_port();
    let cluster = Cluster::at(
        dir.path().join("pg"),
        ClusterOptions {
            tcp_port: Some(port),
            hba_prefix: vec![
                "hostssl all certuser 127.0.0.1/32 cert".into(),
                "host replication repl 127.0.0.1/32 scram-sha-256".into(),
            ],
            settings: vec![
                ("ssl".into(), "on".into()),
                ("ssl_cert_file".into(), "'server.crt'".into()),
                ("ssl_key_file".into(), "'server.key'".into()),
                ("ssl_ca_file".into(), "'client-ca.crt'".into()),
                ("fsync".into(), "off".into()),
            ],
        },
    );
    cluster.init().unwrap();
    let guard = Stopped(cluster);
    let data = guard.0.data_dir();
    let (cert, key) = self_signed_server("localhost");
    write_owned(&data.join("server.crt"), &cert, 0o644);
    write_owned(&data.join("server.key"), &key, 0o600);
    std::fs::write(dir.path().join("server.crt"), &cert).unwrap();
    // Clients' certificates are signed by a CA of their own.
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "client CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    write_owned(&data.join("client-ca.crt"), &ca.pem(), 0o644);
    let client_key = KeyPair::generate().unwrap();
    let mut client = CertificateParams::new(Vec::<String>::new()).unwrap();
    client
        .distinguished_name
        .push(DnType::CommonName, "certuser");
    let client_cert = client.signed_by(&client_key, &ca).unwrap();
    std::fs::write(dir.path().join("client.crt"), client_cert.pem()).unwrap();
    for (name, mode) in [("client.key", 0o600), ("client-open.key", 0o644)] {
        let path = dir.path().join(name);
        std::fs::write(&path, client_key.serialize_pem()).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let (other, _) = self_signed_server("localhost");
    std::fs::write(dir.path().join("other.crt"), other).unwrap();
    guard.0.start().unwrap();
    let cluster = guard.0.clone();
    std::mem::forget(guard);
    let server = Server {
        password: cluster.password().unwrap(),
        cluster,
        port,
        dir,
    };
    let mut admin =
        postgres::Client::connect(&server.cluster.params("postgres").to_url(), postgres::NoTls)
            .unwrap();
    admin
        .batch_execute(
            "CREATE ROLE certuser LOGIN; CREATE ROLE repl REPLICATION LOGIN PASSWORD 'replpw';",
        )
        .unwrap();
    admin.batch_execute("CREATE DATABASE tsa").unwrap();
    server
}

/// Runs `status` with `conninfo` through strata and `SELECT 1` through psql, with the same
/// environment (HOME without ~/.postgresql, the password in PGPASSWORD).
fn both(server: &Server, conninfo: &str) -> (Run, bool, String) {
    let home = server.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let env = [
        ("PGPASSWORD", server.password.as_str()),
        ("HOME", home.to_str().unwrap()),
    ];
    let project = sample_project();
    let mut strata = Strata::bare()
        .project(&project)
        .env("DATABASE_URL", conninfo)
        .args(["status"]);
    for (k, v) in env {
        strata = strata.env(k, v);
    }
    let run = strata.run();
    let (ok, out) = psql(conninfo, "SELECT 1", &env);
    (run, ok, out)
}

#[test]
fn certificates_and_channel_binding_behave_as_in_psql() {
    let server = start_server();
    let d = server.dir.path().display().to_string();
    let p = server.port;
    let base = |host: &str, user: &str, rest: &str| {
        format!("host={host} port={p} dbname=postgres user={user} {rest}")
    };
    let root = format!("sslrootcert={d}/server.crt");
    let cert = format!("sslcert={d}/client.crt sslkey={d}/client.key");
    let cases: Vec<(String, bool, &str)> = vec![
        // The self-signed server certificate is its own root.
        (
            base(
                "localhost",
                "postgres",
                &format!("sslmode=verify-full {root}"),
            ),
            true,
            "",
        ),
        (
            base(
                "127.0.0.1",
                "postgres",
                &format!("sslmode=verify-ca {root}"),
            ),
            true,
            "",
        ),
        // verify-full checks the name: the certificate names localhost only.
        (
            base(
                "127.0.0.1",
                "postgres",
                &format!("sslmode=verify-full {root}"),
            ),
            false,
            "could not connect",
        ),
        // Another self-signed certificate is not this one.
        (
            base(
                "127.0.0.1",
                "postgres",
                &format!("sslmode=verify-ca sslrootcert={d}/other.crt"),
            ),
            false,
            "could not connect",
        ),
        (base("127.0.0.1", "postgres", "sslmode=require"), true, ""),
        // Client certificate authentication.
        (
            base(
                "localhost",
                "certuser",
                &format!("sslmode=verify-full {root} {cert}"),
            ),
            true,
            "",
        ),
        (
            base(
                "localhost",
                "certuser",
                &format!("sslmode=verify-full {root}"),
            ),
            false,
            "could not connect",
        ),
        (
            base(
                "localhost",
                "certuser",
                &format!(
                    "sslmode=verify-full {root} sslcert={d}/client.crt sslkey={d}/client-open.key"
                ),
            ),
            false,
            "group or world access",
        ),
        // channel_binding=require: SCRAM-SHA-256-PLUS over TLS only.
        (
            base(
                "127.0.0.1",
                "postgres",
                "sslmode=require channel_binding=require",
            ),
            true,
            "",
        ),
        (
            base(
                "127.0.0.1",
                "postgres",
                "sslmode=disable channel_binding=require",
            ),
            false,
            "channel_binding",
        ),
        (
            base(
                "localhost",
                "certuser",
                &format!("sslmode=verify-full {root} {cert} channel_binding=require"),
            ),
            false,
            "could not connect",
        ),
        (
            base(
                "127.0.0.1",
                "postgres",
                "sslmode=require channel_binding=disable",
            ),
            true,
            "",
        ),
    ];
    for (conninfo, expected, message) in cases {
        let (run, psql_ok, psql_out) = both(&server, &conninfo);
        assert_eq!(psql_ok, expected, "psql with {conninfo}: {psql_out}");
        if expected {
            run.success();
        } else {
            run.one_line_error(message);
        }
        assert!(!run.stderr.contains(&server.password));
    }
}

#[test]
fn target_session_attrs_pick_the_server_psql_picks_among_a_standby_and_a_primary() {
    let server = start_server();
    // The standby: a base backup of the primary, run by the same launcher.
    let standby_root = server.dir.path().join("standby");
    std::fs::create_dir(&standby_root).unwrap();
    let (uid, gid) = server_ids();
    std::os::unix::fs::chown(&standby_root, Some(uid), Some(gid)).unwrap();
    std::fs::set_permissions(&standby_root, std::fs::Permissions::from_mode(0o700)).unwrap();
    let bins = ServerBinaries::find().unwrap();
    let basebackup = [
        bins.tool("pg_basebackup"),
        Path::new("/usr/lib/postgresql/15/bin/pg_basebackup").to_path_buf(),
    ]
    .into_iter()
    .find(|p| p.is_file())
    .expect("pg_basebackup");
    let out = std::process::Command::new(basebackup)
        .uid(uid)
        .gid(gid)
        .env_clear()
        .env("PGPASSWORD", "replpw")
        .arg("-D")
        .arg(standby_root.join("data"))
        .args([
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "-h",
            "127.0.0.1",
            "-U",
            "repl",
            "-w",
            "-p",
        ])
        .arg(server.port.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Same catalog, same password: the owner's password files go with it.
    let auth = standby_root.join("auth");
    std::fs::create_dir(&auth).unwrap();
    std::fs::set_permissions(&auth, std::fs::Permissions::from_mode(0o700)).unwrap();
    for f in ["password", "pgpass"] {
        std::fs::copy(server.cluster.root.join("auth").join(f), auth.join(f)).unwrap();
    }
    let standby_port = free_port();
    let standby = Cluster::at(
        &standby_root,
        ClusterOptions {
            tcp_port: Some(standby_port),
            ..ClusterOptions::default()
        },
    );
    let standby = Stopped(standby);
    standby.0.start().unwrap();

    let (p, s) = (server.port, standby_port);
    let conninfo = |attrs: &str| {
        format!("host=127.0.0.1,127.0.0.1 port={s},{p} dbname=tsa user=postgres sslmode=disable target_session_attrs={attrs}")
    };
    let env = [("PGPASSWORD", server.password.as_str())];
    let project = sample_project();
    let apply = |attrs: &str| {
        Strata::bare()
            .project(&project)
            .env("DATABASE_URL", &conninfo(attrs))
            .env("PGPASSWORD", &server.password)
            .args(["apply"])
            .run()
    };
    // Standby first in the list: standby, prefer-standby, read-only and any end on it (an
    // apply there is refused, naming it a standby), read-write and primary go on to the
    // primary.
    for (attrs, port) in [
        ("standby", s),
        ("prefer-standby", s),
        ("read-only", s),
        ("any", s),
        ("read-write", p),
        ("primary", p),
    ] {
        let (ok, out) = psql(&conninfo(attrs), "SELECT inet_server_port()", &env);
        assert!(ok, "{out}");
        assert_eq!(out.trim(), port.to_string(), "psql with {attrs}");
        if port == s {
            apply(attrs).one_line_error("is a standby (a server in recovery, read-only)");
        }
    }
    apply("read-write").success().stdout_has("5 applied");
    let mut primary = postgres::Client::connect(
        &format!(
            "host=127.0.0.1 port={p} dbname=tsa user=postgres password={}",
            server.password
        ),
        postgres::NoTls,
    )
    .unwrap();
    let applied: i64 = primary
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(applied, 5);
    // No server fits: each host's reason is given.
    let standby_only = format!(
        "host=127.0.0.1 port={s} dbname=tsa user=postgres sslmode=disable target_session_attrs=primary"
    );
    Strata::bare()
        .project(&project)
        .env("DATABASE_URL", &standby_only)
        .env("PGPASSWORD", &server.password)
        .args(["status"])
        .run()
        .one_line_error("target_session_attrs=primary");
    let (ok, _) = psql(&standby_only, "SELECT 1", &env);
    assert!(!ok);
    drop(standby);
}
