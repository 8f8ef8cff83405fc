//! TLS against a local server with a self-signed CA made in the test: every sslmode, and
//! the refusals that verification must give.

use std::os::unix::fs::PermissionsExt;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use strata::local::{Cluster, ClusterOptions};

use crate::support::*;

struct Ca {
    pem: String,
    issuer: CertifiedIssuer<'static, KeyPair>,
}

fn make_ca(name: &str) -> Ca {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
    Ca {
        pem: issuer.pem(),
        issuer,
    }
}

fn postgres_ids() -> (u32, u32) {
    let name = std::ffi::CString::new("postgres").unwrap();
    // SAFETY: getpwnam returns static storage or NULL; read at once.
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    if pw.is_null() || unsafe { libc::getuid() } != 0 {
        // SAFETY: no preconditions.
        return unsafe { (libc::getuid(), libc::getgid()) };
    }
    // SAFETY: pw is valid.
    unsafe { ((*pw).pw_uid, (*pw).pw_gid) }
}

#[test]
fn every_sslmode_against_a_server_with_a_self_signed_ca() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cluster = Cluster::at(
        dir.path().join("pg"),
        ClusterOptions {
            tcp_port: Some(port),
            // Plain TCP is refused: a connection that works went over TLS.
            hba_prefix: vec!["hostnossl all all 127.0.0.1/32 reject".into()],
            settings: vec![
                ("ssl".into(), "on".into()),
                ("ssl_cert_file".into(), "'server.crt'".into()),
                ("ssl_key_file".into(), "'server.key'".into()),
            ],
        },
    );
    cluster.init().unwrap();
    let ca = make_ca("strata test CA");
    let server_key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    let server_cert = params.signed_by(&server_key, &ca.issuer).unwrap();
    let data = cluster.data_dir();
    let (uid, gid) = postgres_ids();
    for (name, text, mode) in [
        ("server.crt", server_cert.pem(), 0o644),
        ("server.key", server_key.serialize_pem(), 0o600),
    ] {
        let path = data.join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        std::os::unix::fs::chown(&path, Some(uid), Some(gid)).unwrap();
    }
    cluster.start().unwrap();
    let root = dir.path().join("root.crt");
    std::fs::write(&root, &ca.pem).unwrap();
    let other_ca = dir.path().join("other.crt");
    std::fs::write(&other_ca, make_ca("someone else").pem).unwrap();

    let project = sample_project();
    let status = |url: String| {
        Strata::bare()
            .project(&project)
            .env("DATABASE_URL", &url)
            .env("HOME", dir.path().to_str().unwrap())
            .args(["status"])
            .run()
    };
    let password = cluster.password().unwrap();
    let url = |host: &str, query: &str| {
        format!("postgres://postgres:{password}@{host}:{port}/postgres?{query}")
    };

    status(url("127.0.0.1", "sslmode=disable")).one_line_error("no encryption");
    status(url("127.0.0.1", "sslmode=require")).success();
    status(url("127.0.0.1", "sslmode=prefer")).success();
    status(url(
        "127.0.0.1",
        &format!("sslmode=verify-ca&sslrootcert={}", root.display()),
    ))
    .success();
    status(url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={}", root.display()),
    ))
    .success();
    // verify-full checks the name: the certificate is for localhost, not 127.0.0.1.
    status(url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={}", root.display()),
    ))
    .one_line_error("could not connect");
    // verify-ca checks the chain: another CA's certificate is refused.
    status(url(
        "127.0.0.1",
        &format!("sslmode=verify-ca&sslrootcert={}", other_ca.display()),
    ))
    .one_line_error("could not connect");
    // Without a root certificate, verify-* says which file it looked for.
    status(url("localhost", "sslmode=verify-full")).one_line_error("root.crt");
    // PGSSLMODE and PGSSLROOTCERT work as in libpq.
    Strata::bare()
        .project(&project)
        .env("PGHOST", "localhost")
        .env("PGPORT", &port.to_string())
        .env("PGUSER", "postgres")
        .env("PGPASSWORD", &password)
        .env("PGDATABASE", "postgres")
        .env("PGSSLMODE", "verify-full")
        .env("PGSSLROOTCERT", root.to_str().unwrap())
        .args(["status"])
        .run()
        .success();
    cluster.destroy().unwrap();
}
