//! The local database: one PostgreSQL cluster per project, made with the server binaries
//! installed on the machine (`initdb`, `pg_ctl`) and reachable only through a Unix socket
//! in its own folder. The same launcher gives the tests their throwaway servers.

use std::ffi::CString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::conn::ConnParams;

/// The superuser every local cluster is created with.
pub const SUPERUSER: &str = "postgres";

/// Why the local database could not be managed.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// initdb/pg_ctl are not installed.
    #[error("PostgreSQL server binaries (initdb, pg_ctl) not found in STRATA_PG_BINDIR, on PATH or under /usr/lib/postgresql/*/bin: install them (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL to use another server")]
    BinariesMissing,
    /// Running as root but there is no `postgres` OS user to run the server as.
    #[error("running as root, but there is no 'postgres' OS user to run the server as (initdb refuses root): create one (useradd -r postgres) or set DATABASE_URL")]
    NoPostgresUser,
    /// A server tool failed.
    #[error("{tool} failed: {message}")]
    Tool { tool: String, message: String },
    /// A filesystem operation failed.
    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> LocalError + '_ {
    move |e| LocalError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Where the PostgreSQL server binaries are.
#[derive(Debug, Clone)]
pub struct ServerBinaries {
    pub bin_dir: PathBuf,
}

impl ServerBinaries {
    /// Finds `initdb` and `pg_ctl`: in `STRATA_PG_BINDIR` when set (to pick a version),
    /// else on PATH, else the newest `/usr/lib/postgresql/*/bin`.
    pub fn find() -> Result<ServerBinaries, LocalError> {
        if let Some(dir) = std::env::var_os("STRATA_PG_BINDIR").filter(|d| !d.is_empty()) {
            let dir = PathBuf::from(dir);
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return Ok(ServerBinaries { bin_dir: dir });
            }
            return Err(LocalError::BinariesMissing);
        }
        if let Some(path) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&path) {
                if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                    return Ok(ServerBinaries { bin_dir: dir });
                }
            }
        }
        let mut candidates: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
                let bin = e.path().join("bin");
                (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
                    .then_some((version, bin))
            })
            .collect();
        candidates.sort();
        candidates
            .pop()
            .map(|(_, bin_dir)| ServerBinaries { bin_dir })
            .ok_or(LocalError::BinariesMissing)
    }

    fn tool(&self, name: &str) -> PathBuf {
        self.bin_dir.join(name)
    }
}

/// The OS user the server processes run as: ourselves, or `postgres` when we are root.
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
    switch: bool,
}

fn run_as() -> Result<RunAs, LocalError> {
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    if uid != 0 {
        // SAFETY: getgid has no preconditions.
        let gid = unsafe { libc::getgid() };
        return Ok(RunAs {
            uid,
            gid,
            switch: false,
        });
    }
    let name = CString::new("postgres").expect("no NUL");
    // SAFETY: getpwnam returns a pointer to static storage or NULL; we read it at once.
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    if pw.is_null() {
        return Err(LocalError::NoPostgresUser);
    }
    // SAFETY: pw is non-null and points to a valid passwd record.
    let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
    Ok(RunAs {
        uid,
        gid,
        switch: true,
    })
}

/// The name of the OS user running strata, from the password database.
pub fn current_user_name() -> Option<String> {
    // SAFETY: getuid has no preconditions; getpwuid returns static storage or NULL.
    let pw = unsafe { libc::getpwuid(libc::getuid()) };
    if pw.is_null() {
        return None;
    }
    // SAFETY: pw_name is a valid NUL-terminated string while pw is valid.
    let name = unsafe { std::ffi::CStr::from_ptr((*pw).pw_name) };
    Some(name.to_string_lossy().into_owned())
}

fn chown(path: &Path, who: RunAs) -> Result<(), LocalError> {
    if who.switch {
        std::os::unix::fs::chown(path, Some(who.uid), Some(who.gid)).map_err(io_err(path))?;
    }
    Ok(())
}

/// How a cluster is configured beyond the defaults (tests use the extras).
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// Also listen on 127.0.0.1 at this port.
    pub tcp_port: Option<u16>,
    /// pg_hba.conf lines placed before the default `trust` lines.
    pub hba_prefix: Vec<String>,
    /// Extra `postgresql.conf` settings.
    pub settings: Vec<(String, String)>,
}

/// One local cluster: its folder holds `data/`, `server.log` and (unless the path is too
/// long for a Unix socket) the socket.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub root: PathBuf,
    pub options: ClusterOptions,
}

/// What `strata local status` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClusterStatus {
    pub root: String,
    pub initialized: bool,
    pub running: bool,
    pub socket_dir: String,
    pub pid: Option<u32>,
}

/// Port number used to name the socket file; only the socket is listened on (unless
/// `local start --tcp-port` chose another port, which then names the socket too).
pub const LOCAL_PORT: u16 = 5432;
/// Where `local start --tcp-port` remembers its port, in the cluster folder.
const TCP_PORT_FILE: &str = "tcp_port";
const TCP_HBA_LINE: &str = "host all all 127.0.0.1/32 trust";

impl Cluster {
    pub fn at(root: impl Into<PathBuf>, options: ClusterOptions) -> Cluster {
        Cluster {
            root: root.into(),
            options,
        }
    }

    /// The cluster folder of a project: `<project>/.strata/` for a project on disk, the
    /// user's data directory for the embedded default. When running as root and the server
    /// user could not reach that folder (e.g. under a private `/root`), `/var/lib/strata/`.
    pub fn for_project(project_dir: Option<&Path>, project_name: &str) -> Cluster {
        let preferred = match project_dir {
            Some(dir) => dir.join(".strata"),
            None => data_home().join("strata").join(sanitize(project_name)),
        };
        let root = match run_as() {
            Ok(who) if who.switch && !reachable_by_others(&preferred) => {
                let tag = &crate::migration::checksum(&preferred.display().to_string())[..8];
                PathBuf::from("/var/lib/strata").join(format!("{}-{tag}", sanitize(project_name)))
            }
            _ => preferred,
        };
        let tcp_port = std::fs::read_to_string(root.join(TCP_PORT_FILE))
            .ok()
            .and_then(|t| t.trim().parse().ok());
        Cluster::at(
            root,
            ClusterOptions {
                tcp_port,
                ..ClusterOptions::default()
            },
        )
    }

    /// `local start --tcp-port N`: also listen on 127.0.0.1:N from now on (remembered in
    /// the cluster folder until `local destroy`; the socket then carries that port number).
    pub fn listen_on_tcp(&mut self, port: u16) -> Result<(), LocalError> {
        if self.options.tcp_port != Some(port) && self.pid().is_some() {
            return Err(LocalError::Tool {
                tool: "local start".into(),
                message: format!(
                    "the local database is already running on port {}; stop it first to change the port",
                    self.port()
                ),
            });
        }
        self.init()?;
        let hba_path = self.data_dir().join("pg_hba.conf");
        let hba = std::fs::read_to_string(&hba_path).map_err(io_err(&hba_path))?;
        if !hba.lines().any(|l| l.trim() == TCP_HBA_LINE) {
            std::fs::write(&hba_path, format!("{hba}{TCP_HBA_LINE}\n"))
                .map_err(io_err(&hba_path))?;
        }
        let file = self.root.join(TCP_PORT_FILE);
        std::fs::write(&file, format!("{port}\n")).map_err(io_err(&file))?;
        self.options.tcp_port = Some(port);
        Ok(())
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.root.join("server.log")
    }

    /// The socket folder: the cluster folder itself, or a short folder under /tmp when the
    /// path would exceed the Unix socket path limit (107 bytes).
    pub fn socket_dir(&self) -> PathBuf {
        let own = self.root.clone();
        if own.as_os_str().len() + "/.s.PGSQL.65535".len() < 100 {
            own
        } else {
            let tag = &crate::migration::checksum(&own.display().to_string())[..12];
            PathBuf::from(format!("/tmp/strata-{tag}"))
        }
    }

    pub fn port(&self) -> u16 {
        self.options.tcp_port.unwrap_or(LOCAL_PORT)
    }

    /// Connection parameters for a database of this cluster, over the socket.
    pub fn params(&self, dbname: &str) -> ConnParams {
        ConnParams::unix(&self.socket_dir(), self.port(), SUPERUSER, dbname)
    }

    pub fn is_initialized(&self) -> bool {
        self.data_dir().join("PG_VERSION").is_file()
    }

    /// Creates the cluster if it does not exist yet.
    pub fn init(&self) -> Result<bool, LocalError> {
        if self.is_initialized() {
            return Ok(false);
        }
        let bins = ServerBinaries::find()?;
        let who = run_as()?;
        std::fs::create_dir_all(&self.root).map_err(io_err(&self.root))?;
        chown(&self.root, who)?;
        let data = self.data_dir();
        if data.exists() {
            // A half-made cluster from an interrupted init: start again.
            std::fs::remove_dir_all(&data).map_err(io_err(&data))?;
        }
        let output = self
            .command(&bins, "initdb", who)
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-instructions",
            ])
            .args(["--locale=C.UTF-8"])
            .output()
            .map_err(io_err(&bins.tool("initdb")))?;
        if !output.status.success() {
            return Err(LocalError::Tool {
                tool: "initdb".into(),
                message: last_lines(&output.stderr),
            });
        }
        self.write_config()?;
        Ok(true)
    }

    fn write_config(&self) -> Result<(), LocalError> {
        let data = self.data_dir();
        let mut hba = String::from("# written by strata\n");
        for line in &self.options.hba_prefix {
            hba.push_str(line);
            hba.push('\n');
        }
        hba.push_str("local all all trust\n");
        if self.options.tcp_port.is_some() {
            hba.push_str(TCP_HBA_LINE);
            hba.push('\n');
        }
        let hba_path = data.join("pg_hba.conf");
        std::fs::write(&hba_path, hba).map_err(io_err(&hba_path))?;
        let mut conf = String::from("\n# strata local database\n");
        conf.push_str("max_connections = 200\n");
        for (k, v) in &self.options.settings {
            conf.push_str(&format!("{k} = {v}\n"));
        }
        let conf_path = data.join("postgresql.conf");
        let mut existing = std::fs::read_to_string(&conf_path).map_err(io_err(&conf_path))?;
        existing.push_str(&conf);
        std::fs::write(&conf_path, existing).map_err(io_err(&conf_path))?;
        Ok(())
    }

    fn command(&self, bins: &ServerBinaries, tool: &str, who: RunAs) -> Command {
        let mut cmd = Command::new(bins.tool(tool));
        cmd.current_dir(&self.root)
            .stdin(Stdio::null())
            .env_remove("PGDATA")
            .env("LC_ALL", "C.UTF-8");
        if who.switch {
            cmd.uid(who.uid).gid(who.gid).env("HOME", &self.root);
        }
        cmd
    }

    /// Starts the server (initialising it first if needed). Returns false when it was
    /// already running.
    pub fn start(&self) -> Result<bool, LocalError> {
        self.init()?;
        if self.pid().is_some() {
            return Ok(false);
        }
        let bins = ServerBinaries::find()?;
        let who = run_as()?;
        let socket_dir = self.socket_dir();
        std::fs::create_dir_all(&socket_dir).map_err(io_err(&socket_dir))?;
        chown(&socket_dir, who)?;
        let listen = match self.options.tcp_port {
            Some(_) => "127.0.0.1",
            None => "",
        };
        let server_options = format!(
            "-k {} -p {} -c listen_addresses='{}'",
            socket_dir.display(),
            self.port(),
            listen
        );
        let log = self.log_file();
        let output = self
            .command(&bins, "pg_ctl", who)
            .arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(&log)
            .args(["-o", &server_options, "-w", "-t", "60", "start"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(io_err(&bins.tool("pg_ctl")))?;
        if !output.status.success() {
            let log_tail = std::fs::read(&log)
                .map(|b| last_lines(&b))
                .unwrap_or_default();
            return Err(LocalError::Tool {
                tool: "pg_ctl start".into(),
                message: format!("{} {}", last_lines(&output.stderr), log_tail)
                    .trim()
                    .to_string(),
            });
        }
        Ok(true)
    }

    /// Stops the server (fast shutdown). Returns false when it was not running.
    pub fn stop(&self) -> Result<bool, LocalError> {
        self.stop_mode("fast")
    }

    /// Stops the server with the given pg_ctl shutdown mode.
    pub fn stop_mode(&self, mode: &str) -> Result<bool, LocalError> {
        if self.pid().is_none() {
            return Ok(false);
        }
        let bins = ServerBinaries::find()?;
        let who = run_as()?;
        let output = self
            .command(&bins, "pg_ctl", who)
            .arg("-D")
            .arg(self.data_dir())
            .args(["-m", mode, "-w", "-t", "60", "stop"])
            .output()
            .map_err(io_err(&bins.tool("pg_ctl")))?;
        if !output.status.success() {
            return Err(LocalError::Tool {
                tool: "pg_ctl stop".into(),
                message: last_lines(&output.stderr),
            });
        }
        Ok(true)
    }

    /// Stops the server if running and removes the cluster folder.
    pub fn destroy(&self) -> Result<bool, LocalError> {
        let _ = self.stop_mode("immediate");
        if !self.root.exists() {
            return Ok(false);
        }
        std::fs::remove_dir_all(&self.root).map_err(io_err(&self.root))?;
        let socket_dir = self.socket_dir();
        if socket_dir != self.root {
            let _ = std::fs::remove_dir_all(&socket_dir);
        }
        Ok(true)
    }

    /// The postmaster's pid when the server is running.
    pub fn pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.data_dir().join("postmaster.pid")).ok()?;
        let pid: i32 = text.lines().next()?.trim().parse().ok()?;
        // SAFETY: kill with signal 0 only checks that the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
        alive.then_some(pid as u32)
    }

    pub fn status(&self) -> ClusterStatus {
        let pid = self.pid();
        ClusterStatus {
            root: self.root.display().to_string(),
            initialized: self.is_initialized(),
            running: pid.is_some(),
            socket_dir: self.socket_dir().display().to_string(),
            pid,
        }
    }

    /// Creates `dbname` if it does not exist.
    pub async fn ensure_database(&self, dbname: &str) -> anyhow::Result<bool> {
        let admin = self.params("postgres").connect().await?;
        let exists = admin
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&dbname])
            .await?
            .is_some();
        if !exists {
            admin
                .batch_execute(&format!("CREATE DATABASE {}", quote_ident(dbname)))
                .await?;
        }
        Ok(!exists)
    }
}

/// Quotes an SQL identifier.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes a possibly schema-qualified name (`auth.users` → `"auth"."users"`).
pub fn quote_qualified(name: &str) -> String {
    match name.split_once('.') {
        Some((schema, rel)) => format!("{}.{}", quote_ident(schema), quote_ident(rel)),
        None => quote_ident(name),
    }
}

fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "default".into()
    } else {
        s
    }
}

fn data_home() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(x);
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| "/tmp".into());
    PathBuf::from(home).join(".local/share")
}

/// True when every existing ancestor of `path` can be traversed by other users (so the
/// `postgres` user can reach a folder created there).
fn reachable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let mut current = Some(path);
    while let Some(p) = current {
        if let Ok(meta) = std::fs::metadata(p) {
            if meta.permissions().mode() & 0o001 == 0 && p != path {
                return false;
            }
        }
        current = p.parent();
    }
    true
}

fn last_lines(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_get_a_short_socket_folder() {
        let short = Cluster::at("/tmp/x", ClusterOptions::default());
        assert_eq!(short.socket_dir(), PathBuf::from("/tmp/x"));
        let long = Cluster::at(
            format!("/tmp/{}", "a".repeat(120)),
            ClusterOptions::default(),
        );
        let dir = long.socket_dir();
        assert!(dir.as_os_str().len() < 40, "{}", dir.display());
    }

    #[test]
    fn sanitizes_names() {
        assert_eq!(sanitize("my proj/1"), "my_proj_1");
        assert_eq!(sanitize(""), "default");
    }
}
