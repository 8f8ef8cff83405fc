//! The corpus's databases on the test server (strata's own launcher, shared with the `it`
//! suite's support module), and the PostgreSQL client programs that check strata: psql
//! applies scripts, pg_dump is the oracle.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::support;

/// Roles the cases may own objects as and grant to; roles are cluster-wide, so they are
/// made once, before any case runs.
pub const ROLES: [&str; 4] = [
    "corpus_owner",
    "corpus_reader",
    "corpus_writer",
    "corpus_auditor",
];

pub struct Server {
    pub major: u32,
    pub version: String,
    pub sharedir: PathBuf,
    pub pkglibdir: PathBuf,
}

static SERVER: OnceLock<Server> = OnceLock::new();

/// The test server, started on first use, with the corpus's roles.
pub fn server() -> &'static Server {
    SERVER.get_or_init(|| {
        support::server();
        let mut admin = admin();
        let mut sql = String::new();
        for role in ROLES {
            sql.push_str(&format!("CREATE ROLE {role} NOLOGIN;\n"));
        }
        admin.batch_execute(&sql).expect("create the corpus roles");
        let row = admin
            .query_one(
                "SELECT current_setting('server_version_num')::int / 10000,
                        current_setting('server_version'),
                        (SELECT setting FROM pg_config WHERE name = 'SHAREDIR'),
                        (SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR')",
                &[],
            )
            .expect("server version");
        Server {
            major: row.get::<_, i32>(0) as u32,
            version: row.get(1),
            sharedir: PathBuf::from(row.get::<_, String>(2)),
            pkglibdir: PathBuf::from(row.get::<_, String>(3)),
        }
    })
}

pub fn admin() -> postgres::Client {
    support::pg(&support::server().cluster.params("postgres").to_url())
}

pub fn url(name: &str) -> String {
    support::server().cluster.params(name).to_url()
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database of the corpus, dropped when dropped (kept when STRATA_KEEP_TEST_DB is set).
pub struct Db {
    pub name: String,
    pub url: String,
}

impl Db {
    /// A new database: empty (from template1) or a copy of `template`.
    pub fn new(tag: &str, template: Option<&Db>) -> Result<Db, String> {
        server();
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let mut tag: String = tag
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        tag.truncate(48);
        let name = format!("c{n}_{tag}").to_lowercase();
        let mut sql = format!("CREATE DATABASE {name}");
        if let Some(t) = template {
            sql.push_str(&format!(" TEMPLATE {}", t.name));
        }
        let mut admin = admin();
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .map_err(|e| format!("drop database {name}: {e}"))?;
        // Copies of one template made at the same moment may find it busy: try again.
        let mut tries = 0;
        loop {
            match admin.batch_execute(&sql) {
                Ok(()) => break,
                Err(e) if tries < 20 && format!("{e:?}").contains("being accessed") => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(e) => return Err(format!("{sql}: {}", db_error(&e))),
            }
        }
        Ok(Db {
            url: url(&name),
            name,
        })
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if std::env::var_os("STRATA_KEEP_TEST_DB").is_some() {
            return;
        }
        if let Ok(mut admin) = postgres::Client::connect(
            &support::server().cluster.params("postgres").to_url(),
            postgres::NoTls,
        ) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub fn db_error(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{}: {}", d.severity(), d.message()),
        None => e.to_string(),
    }
}

/// Folder of the PostgreSQL client programs (psql, pg_dump): PostgreSQL 15's on this
/// machine, else the first on PATH.
fn client_bindir() -> &'static Option<PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("STRATA_PG_CLIENT_BINDIR") {
            return Some(PathBuf::from(dir));
        }
        let debian = Path::new("/usr/lib/postgresql/15/bin");
        debian.join("psql").exists().then(|| debian.to_path_buf())
    })
}

pub fn client(program: &str) -> Command {
    let path = match client_bindir() {
        Some(dir) => dir.join(program),
        None => PathBuf::from(program),
    };
    let mut cmd = Command::new(path);
    for var in [
        "PGHOST",
        "PGHOSTADDR",
        "PGPORT",
        "PGUSER",
        "PGPASSWORD",
        "PGDATABASE",
        "PGSSLMODE",
        "PGPASSFILE",
        "PGOPTIONS",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// The major version of the pg_dump used as the oracle.
pub fn pg_dump_major() -> u32 {
    static MAJOR: OnceLock<u32> = OnceLock::new();
    *MAJOR.get_or_init(|| {
        let out = client("pg_dump")
            .arg("--version")
            .output()
            .expect("pg_dump --version");
        let text = String::from_utf8_lossy(&out.stdout);
        text.split_whitespace()
            .find_map(|w| w.split('.').next()?.parse().ok())
            .expect("a pg_dump version")
    })
}

/// Whether pg_dump can dump this server (it refuses servers newer than itself).
pub fn oracle_available() -> bool {
    server().major <= pg_dump_major()
}

/// Runs `file` with psql, stopping at the first error.
pub fn psql_file(db: &Db, file: &Path) -> Result<(), String> {
    let out = client("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &db.url, "-f"])
        .arg(file)
        .output()
        .map_err(|e| format!("psql: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(psql_error(&String::from_utf8_lossy(&out.stderr), file))
    }
}

/// Runs SQL text with psql, stopping at the first error.
pub fn psql(db: &Db, sql: &str, name: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join(name);
    std::fs::write(&file, sql).map_err(|e| e.to_string())?;
    psql_file(db, &file)
}

/// psql's error and the statement it failed on (`psql:FILE:LINE: ERROR: …`).
fn psql_error(stderr: &str, file: &Path) -> String {
    // The error and the lines that go with it (DETAIL, HINT, LINE, CONTEXT), not notices.
    let mut errors: Vec<&str> = Vec::new();
    let mut in_error = false;
    for l in stderr.lines() {
        if l.contains("ERROR:") || l.contains("FATAL:") {
            in_error = true;
            errors.push(l);
        } else if in_error
            && ["DETAIL:", "HINT:", "LINE ", "CONTEXT:", " "]
                .iter()
                .any(|p| l.starts_with(p))
        {
            errors.push(l);
        } else {
            in_error = false;
        }
    }
    let mut msg = if errors.is_empty() {
        stderr.trim().to_string()
    } else {
        errors.join("\n")
    };
    let line_no = stderr.lines().find_map(|l| {
        let rest = l.strip_prefix("psql:")?;
        let (_, rest) = rest.split_once(':')?;
        let (n, rest) = rest.split_once(':')?;
        rest.contains("ERROR").then(|| n.parse::<usize>().ok())?
    });
    if let (Some(n), Ok(text)) = (line_no, std::fs::read_to_string(file)) {
        let lines: Vec<&str> = text.lines().collect();
        let from = n.saturating_sub(6);
        let to = (n + 2).min(lines.len());
        msg.push_str(&format!(
            "\n--- {} lines {}-{}:",
            file.display(),
            from + 1,
            to
        ));
        for (i, l) in lines[from..to].iter().enumerate() {
            let mark = if from + i + 1 == n { ">" } else { " " };
            msg.push_str(&format!("\n{mark} {l}"));
        }
    }
    msg
}

/// `pg_dump --schema-only` of a database, parsed. Owners are kept (no `--no-owner`): both
/// databases of a round trip live on one server with the same roles, so ownership is
/// compared too — with `--no-owner` a script that got every owner wrong would pass.
pub fn dump(db: &Db) -> Result<crate::dump::Dump, String> {
    let out = client("pg_dump")
        .args(["--schema-only", "-d", &db.url])
        .output()
        .map_err(|e| format!("pg_dump: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "pg_dump {}: {}",
            db.name,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(crate::dump::parse(&String::from_utf8_lossy(&out.stdout)))
}
