//! The local database: one PostgreSQL cluster per project, made with the server binaries
//! installed on the machine (PostgreSQL 13 to 18) and private to the OS user who made it —
//! a random superuser password, no `trust`, folders only its owner (and the server's OS
//! user) can enter. The same launcher gives the tests their throwaway servers.

mod auth;
pub mod files;
mod server;

use std::path::{Path, PathBuf};
use std::process::Stdio;

pub use crate::conn::current_user_name;
use files::Dir;
pub use server::{RunAs, ServerBinaries, SUPPORTED_MAJORS};

use crate::conn::ConnParams;

/// The superuser every local cluster is created with.
pub const SUPERUSER: &str = "postgres";

/// Why the local database could not be managed.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// initdb/pg_ctl are not installed.
    #[error("PostgreSQL server binaries (initdb, pg_ctl) not found in STRATA_PG_BINDIR, on PATH or under /usr/lib/postgresql/*/bin: install them (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL to use another server")]
    BinariesMissing,
    /// The binaries are of a major version the launcher does not support.
    #[error("PostgreSQL {major} (in {dir}) is not supported by the local database, which needs PostgreSQL 13 to 18: install one of those, point STRATA_PG_BINDIR at its bin folder, or set DATABASE_URL")]
    UnsupportedVersion { major: u32, dir: String },
    /// Running as root but there is no `postgres` OS user to run the server as.
    #[error("running as root, but there is no 'postgres' OS user to run the server as (initdb refuses root): create one (useradd -r postgres) or set DATABASE_URL")]
    NoPostgresUser,
    /// A server tool failed.
    #[error("{tool} failed: {message}")]
    Tool { tool: String, message: String },
    /// A filesystem operation failed.
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// A folder or file strata did not make: a link, another user's folder, a special file.
    #[error("{path} {reason}")]
    NotOurs { path: String, reason: String },
    /// A cluster folder path PostgreSQL cannot work in.
    #[error("{path}: {reason}")]
    BadPath { path: String, reason: String },
    /// The superuser password file is missing or not readable by this user.
    #[error("the local database's password file {path} cannot be used ({message}); the local database belongs to the OS user who made it")]
    NoPassword { path: String, message: String },
}

/// How a cluster is configured beyond the defaults (tests use the extras).
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// Also listen on 127.0.0.1 at this port.
    pub tcp_port: Option<u16>,
    /// pg_hba.conf lines placed before strata's own lines.
    pub hba_prefix: Vec<String>,
    /// Extra `postgresql.conf` settings.
    pub settings: Vec<(String, String)>,
}

/// One local cluster: its folder holds `data/`, `server.log`, `auth/` (the password files)
/// and (unless the path is too long or unusual for a Unix socket) the socket.
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
    pub tcp_port: Option<u16>,
    /// `scram-sha-256`, or `trust` for a cluster made by an older strata (converted at its
    /// next start).
    pub authentication: String,
    /// When strata converted this cluster from `trust` (RFC 3339), if it did.
    pub converted_from_trust: Option<String>,
    /// The superuser password (readable by the owner only).
    pub password_file: Option<String>,
    /// A libpq password file: `PGPASSFILE=<this> psql ...`.
    pub pgpass_file: Option<String>,
}

/// Port number used to name the socket file; only the socket is listened on (unless
/// `local start --tcp-port` chose another port, which then names the socket too).
pub const LOCAL_PORT: u16 = 5432;
/// Where `local start --tcp-port` remembers its port, in the cluster folder.
const TCP_PORT_FILE: &str = "tcp_port";
/// The server settings strata owns, rewritten at every start (in `data/`).
const SERVER_CONF: &str = "strata.conf";
/// The password for initdb, present only while initdb runs.
const INITDB_PWFILE: &str = ".initdb-password";
/// The parent strata makes for clusters the `postgres` user could not reach elsewhere.
const SHARED_PARENT: &str = "/var/lib/strata";
const SMALL_FILE: u64 = 1 << 20;

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> LocalError + '_ {
    move |e| LocalError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

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
        let root = match RunAs::detect() {
            Ok(who) if who.switch && !reachable_by_others(&preferred) => {
                let tag = &crate::migration::checksum(&preferred.display().to_string())[..8];
                PathBuf::from(SHARED_PARENT).join(format!("{}-{tag}", sanitize(project_name)))
            }
            _ => preferred,
        };
        let tcp_port = Dir::open(&root)
            .ok()
            .and_then(|d| d.read(TCP_PORT_FILE, 64).ok().flatten())
            .and_then(|b| String::from_utf8_lossy(&b).trim().parse().ok());
        Cluster::at(
            root,
            ClusterOptions {
                tcp_port,
                ..ClusterOptions::default()
            },
        )
    }

    /// `local start --tcp-port N`: also listen on 127.0.0.1:N. Only in memory: the port is
    /// remembered ([`Cluster::remember_tcp_port`]) once the server started with it.
    pub fn listen_on_tcp(&mut self, port: u16) -> Result<(), LocalError> {
        if port == 0 {
            return Err(LocalError::Tool {
                tool: "local start".into(),
                message: "--tcp-port must be 1 to 65535".into(),
            });
        }
        if self.options.tcp_port != Some(port) && self.pid().is_some() {
            return Err(LocalError::Tool {
                tool: "local start".into(),
                message: format!(
                    "the local database is already running on port {}; stop it first to change the port",
                    self.port()
                ),
            });
        }
        self.options.tcp_port = Some(port);
        Ok(())
    }

    /// Keeps the TCP port for later commands (until `local destroy`), and the password
    /// file's port with it.
    pub fn remember_tcp_port(&self) -> Result<(), LocalError> {
        let Some(port) = self.options.tcp_port else {
            return Ok(());
        };
        let who = RunAs::detect()?;
        let root = Dir::open(&self.root)?;
        root.write(
            TCP_PORT_FILE,
            format!("{port}\n").as_bytes(),
            0o644,
            who.switch.then_some(who.invoker),
        )?;
        if let Ok(password) = self.password() {
            let auth = root.sub(auth::AUTH_DIR)?;
            auth.write(
                auth::PGPASS_FILE,
                auth::pgpass(SUPERUSER, &password, port).as_bytes(),
                0o600,
                None,
            )?;
        }
        Ok(())
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    /// The socket folder: the cluster folder itself, or a short private folder under /tmp
    /// when the path would exceed the Unix socket path limit (107 bytes) or holds
    /// characters a socket folder setting should not (white space, quotes, commas).
    pub fn socket_dir(&self) -> PathBuf {
        let own = self.root.clone();
        let bytes = own.as_os_str().as_encoded_bytes();
        let plain = bytes
            .iter()
            .all(|b| *b > b' ' && *b != 0x7f && !matches!(b, b'"' | b'\'' | b'\\' | b','));
        if plain && bytes.len() + "/.s.PGSQL.65535".len() < 100 {
            own
        } else {
            let tag = &crate::migration::checksum(&own.display().to_string())[..12];
            PathBuf::from(format!("/tmp/strata-{tag}"))
        }
    }

    pub fn port(&self) -> u16 {
        self.options.tcp_port.unwrap_or(LOCAL_PORT)
    }

    /// Connection parameters for a database of this cluster, over the socket, with the
    /// superuser's password when this user can read it.
    pub fn params(&self, dbname: &str) -> ConnParams {
        let mut params = ConnParams::unix(&self.socket_dir(), self.port(), SUPERUSER, dbname);
        params.password = self.password().ok();
        params
    }

    /// The superuser's password, from the owner-only password file.
    pub fn password(&self) -> Result<String, LocalError> {
        let path = self.root.join(auth::AUTH_DIR).join(auth::PASSWORD_FILE);
        let no = |message: String| LocalError::NoPassword {
            path: path.display().to_string(),
            message,
        };
        let auth = Dir::open(&self.root)
            .and_then(|d| d.sub(auth::AUTH_DIR))
            .map_err(|e| no(e.to_string()))?;
        // SAFETY: getuid has no preconditions.
        let me = unsafe { libc::getuid() };
        let bytes = auth
            .read_private(auth::PASSWORD_FILE, me, 4096)
            .map_err(|e| no(e.to_string()))?
            .ok_or_else(|| no("missing".into()))?;
        Ok(String::from_utf8_lossy(&bytes).trim_end().to_string())
    }

    /// True when the password files exist (a cluster made by an older strata has none and
    /// uses `trust` until converted).
    fn has_password_file(&self) -> bool {
        Dir::open(&self.root)
            .and_then(|d| d.sub(auth::AUTH_DIR))
            .is_ok_and(|a| a.exists(auth::PASSWORD_FILE))
    }

    pub fn is_initialized(&self) -> bool {
        self.data_dir().join("PG_VERSION").is_file()
    }

    /// Checks (and makes, when missing) the cluster folder: a real folder owned by the
    /// server's OS user, mode 0700.
    fn root_dir(&self, who: RunAs) -> Result<Dir, LocalError> {
        check_path(&self.root)?;
        if who.switch && self.root.parent() == Some(Path::new(SHARED_PARENT)) {
            files::ensure_dir(Path::new(SHARED_PARENT), who.invoker, 0o755)?;
        }
        Ok(files::ensure_dir(&self.root, who.server, 0o700)?.0)
    }

    /// Creates the cluster if it does not exist yet.
    pub fn init(&self) -> Result<bool, LocalError> {
        let who = RunAs::detect()?;
        if self.is_initialized() {
            self.root_dir(who)?;
            return Ok(false);
        }
        let bins = ServerBinaries::find()?;
        let major = bins.major_version()?;
        let root = self.root_dir(who)?;
        let data = self.data_dir();
        if root.exists("data") {
            // A half-made cluster from an interrupted init: start again (a link is removed,
            // not followed).
            std::fs::remove_dir_all(&data).map_err(io_err(&data))?;
        }
        let password = auth::generate_password().map_err(|message| LocalError::Tool {
            tool: "initdb".into(),
            message,
        })?;
        let server_owner = who.switch.then_some(who.server);
        root.write(INITDB_PWFILE, password.as_bytes(), 0o600, server_owner)?;
        let mut pwfile_arg = std::ffi::OsString::from("--pwfile=");
        pwfile_arg.push(self.root.join(INITDB_PWFILE));
        let mut cmd = server::command(&bins, "initdb", &self.root, &data, who);
        cmd.arg("-D")
            .arg(&data)
            .args([
                "-U",
                SUPERUSER,
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ])
            .arg(pwfile_arg);
        if major >= 14 {
            cmd.arg("--no-instructions");
        }
        let output = cmd.output().map_err(io_err(&bins.tool("initdb")));
        root.remove(INITDB_PWFILE);
        let output = output?;
        if !output.status.success() {
            return Err(LocalError::Tool {
                tool: "initdb".into(),
                message: last_lines(&output.stderr),
            });
        }
        self.write_config(&root, who)?;
        self.write_auth(&root, who, &password)?;
        Ok(true)
    }

    /// The OS users who may connect as the superuser by `peer`: the one running strata and
    /// the server's (when the password database names them plainly).
    fn peer_users(who: RunAs) -> Vec<String> {
        [who.invoker.uid, who.server.uid]
            .into_iter()
            .filter_map(crate::conn::user_name)
            .filter(|n| auth::plain_name(n))
            .collect()
    }

    fn write_config(&self, root: &Dir, who: RunAs) -> Result<(), LocalError> {
        let data = root.sub("data")?;
        let owner = who.switch.then_some(who.server);
        let peers = Self::peer_users(who);
        data.write(
            "pg_hba.conf",
            auth::hba(&self.options.hba_prefix, SUPERUSER, !peers.is_empty()).as_bytes(),
            0o600,
            owner,
        )?;
        data.write(
            "pg_ident.conf",
            auth::ident(&peers, SUPERUSER).as_bytes(),
            0o600,
            owner,
        )?;
        let mut conf = data
            .read("postgresql.conf", SMALL_FILE)?
            .unwrap_or_default();
        conf.extend_from_slice(b"\n# strata local database\nmax_connections = 200\n");
        for (k, v) in &self.options.settings {
            conf.extend_from_slice(format!("{k} = {v}\n").as_bytes());
        }
        conf.extend_from_slice(format!("include_if_exists = '{SERVER_CONF}'\n").as_bytes());
        data.write("postgresql.conf", &conf, 0o600, owner)
    }

    /// Writes the owner's password files: `auth/` is the invoking user's, mode 0700.
    fn write_auth(&self, root: &Dir, who: RunAs, password: &str) -> Result<(), LocalError> {
        let (dir, _) = files::ensure_dir(&root.path.join(auth::AUTH_DIR), who.invoker, 0o700)?;
        dir.write(
            auth::PASSWORD_FILE,
            format!("{password}\n").as_bytes(),
            0o600,
            None,
        )?;
        dir.write(
            auth::PGPASS_FILE,
            auth::pgpass(SUPERUSER, password, self.port()).as_bytes(),
            0o600,
            None,
        )
    }

    /// The settings strata owns (socket folder, port, addresses), rewritten at every start
    /// so no path ever travels through `pg_ctl -o` and a shell.
    fn server_conf(&self, socket_dir: &Path) -> String {
        let quote = |s: &str| s.replace('\\', "\\\\").replace('\'', "''");
        format!(
            "# Written by strata at every start of the local database; edits here are lost.\n\
             port = {}\n\
             listen_addresses = '{}'\n\
             unix_socket_directories = '{}'\n\
             unix_socket_permissions = 0700\n\
             password_encryption = 'scram-sha-256'\n",
            self.port(),
            if self.options.tcp_port.is_some() {
                "127.0.0.1"
            } else {
                ""
            },
            quote(&socket_dir.display().to_string())
        )
    }

    /// Starts the server (initialising it first if needed; converting a cluster an older
    /// strata made with `trust`). Returns false when it was already running.
    pub fn start(&self) -> Result<bool, LocalError> {
        self.init()?;
        let who = RunAs::detect()?;
        if self.pid().is_some() {
            return Ok(false);
        }
        let root = Dir::open(&self.root)?;
        if !self.has_password_file() {
            self.convert_stopped(&root, who)?;
        }
        let bins = ServerBinaries::find()?;
        let socket_dir = self.socket_dir();
        if socket_dir != self.root {
            files::ensure_dir(&socket_dir, who.server, 0o700)?;
        }
        let owner = who.switch.then_some(who.server);
        let data = root.sub("data")?;
        let conf = data
            .read("postgresql.conf", SMALL_FILE)?
            .unwrap_or_default();
        let include = format!("include_if_exists = '{SERVER_CONF}'");
        if !String::from_utf8_lossy(&conf)
            .lines()
            .any(|l| l.trim() == include)
        {
            let mut conf = conf;
            conf.extend_from_slice(format!("\n{include}\n").as_bytes());
            data.write("postgresql.conf", &conf, 0o600, owner)?;
        }
        data.write(
            SERVER_CONF,
            self.server_conf(&socket_dir).as_bytes(),
            0o600,
            owner,
        )?;
        let log = root.append("server.log", 0o600, owner)?;
        let output = server::command(&bins, "pg_ctl", &self.root, &self.data_dir(), who)
            .args(["-w", "-t", "60", "start"])
            .stdout(Stdio::from(log))
            .stderr(Stdio::piped())
            .output()
            .map_err(io_err(&bins.tool("pg_ctl")))?;
        if !output.status.success() {
            let log_tail = log_problems(&root.read_tail("server.log", 8192));
            return Err(LocalError::Tool {
                tool: "pg_ctl start".into(),
                message: format!("{} {}", last_lines(&output.stderr), log_tail)
                    .trim()
                    .to_string(),
            });
        }
        Ok(true)
    }

    /// Converts a stopped cluster made with `trust`: a new password (set in single-user
    /// mode, as a SCRAM verifier), pg_hba.conf without trust, the password files.
    fn convert_stopped(&self, root: &Dir, who: RunAs) -> Result<(), LocalError> {
        use std::io::Write as _;
        let bins = ServerBinaries::find()?;
        let password = auth::generate_password().map_err(|message| LocalError::Tool {
            tool: "converting the local database".into(),
            message,
        })?;
        let mut child = server::command(&bins, "postgres", &self.root, &self.data_dir(), who)
            .arg("--single")
            .arg("-D")
            .arg(self.data_dir())
            .arg("postgres")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(io_err(&bins.tool("postgres")))?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(set_password_sql(&password).as_bytes());
        }
        let output = child
            .wait_with_output()
            .map_err(io_err(&bins.tool("postgres")))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() || stderr.contains("ERROR") || stderr.contains("FATAL") {
            return Err(LocalError::Tool {
                tool: "postgres --single (setting the superuser password)".into(),
                message: last_lines(&output.stderr),
            });
        }
        self.finish_conversion(root, who, &password)
    }

    /// pg_hba.conf and pg_ident.conf without trust, then the password files and the note.
    fn finish_conversion(&self, root: &Dir, who: RunAs, password: &str) -> Result<(), LocalError> {
        let data = root.sub("data")?;
        let owner = who.switch.then_some(who.server);
        let peers = Self::peer_users(who);
        let hba = data.read("pg_hba.conf", SMALL_FILE)?.unwrap_or_default();
        let peer_line = format!("local all {SUPERUSER} peer map={}", auth::IDENT_MAP);
        data.write(
            "pg_hba.conf",
            auth::without_trust(
                &String::from_utf8_lossy(&hba),
                (!peers.is_empty()).then_some(peer_line.as_str()),
            )
            .as_bytes(),
            0o600,
            owner,
        )?;
        let mut ident = data.read("pg_ident.conf", SMALL_FILE)?.unwrap_or_default();
        ident.extend_from_slice(auth::ident(&peers, SUPERUSER).as_bytes());
        data.write("pg_ident.conf", &ident, 0o600, owner)?;
        self.write_auth(root, who, password)?;
        let dir = root.sub(auth::AUTH_DIR)?;
        dir.write(
            auth::CONVERTED_FILE,
            format!("{}\n", chrono::Utc::now().to_rfc3339()).as_bytes(),
            0o600,
            None,
        )
    }

    /// Converts a running cluster made with `trust` (connecting as its trust allows):
    /// password set, pg_hba.conf rewritten, configuration reloaded.
    async fn convert_running(&self) -> anyhow::Result<()> {
        let who = RunAs::detect()?;
        let root = Dir::open(&self.root)?;
        let params = ConnParams::unix(&self.socket_dir(), self.port(), SUPERUSER, "postgres");
        let client = params.connect().await.map_err(|e| {
            anyhow::anyhow!("the local database in {} runs with an authentication strata did not set up and cannot be converted while it runs ({e}); stop it (strata local stop) and run the command again", self.root.display())
        })?;
        let password = auth::generate_password().map_err(anyhow::Error::msg)?;
        client.batch_execute(&set_password_sql(&password)).await?;
        self.finish_conversion(&root, who, &password)?;
        client.batch_execute("SELECT pg_reload_conf()").await?;
        Ok(())
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
        let who = RunAs::detect()?;
        let output = server::command(&bins, "pg_ctl", &self.root, &self.data_dir(), who)
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

    /// Stops the server if running and removes the cluster folder (a link there is
    /// refused, never followed).
    pub fn destroy(&self) -> Result<bool, LocalError> {
        match std::fs::symlink_metadata(&self.root) {
            Err(_) => return Ok(false),
            Ok(meta) if !meta.is_dir() => {
                return Err(LocalError::NotOurs {
                    path: self.root.display().to_string(),
                    reason: "is a link or not a folder; strata leaves it alone".into(),
                })
            }
            Ok(_) => {}
        }
        let _ = self.stop_mode("immediate");
        std::fs::remove_dir_all(&self.root).map_err(io_err(&self.root))?;
        let socket_dir = self.socket_dir();
        if socket_dir != self.root {
            let ours = RunAs::detect().is_ok_and(|who| {
                Dir::open(&socket_dir).is_ok_and(|d| d.owner_uid().ok() == Some(who.server.uid))
            });
            if ours {
                let _ = std::fs::remove_dir_all(&socket_dir);
            }
        }
        Ok(true)
    }

    /// The postmaster's pid when the server is running.
    pub fn pid(&self) -> Option<u32> {
        let bytes = Dir::open(&self.root)
            .and_then(|d| d.sub("data"))
            .and_then(|d| d.read("postmaster.pid", 64 * 1024))
            .ok()??;
        let text = String::from_utf8_lossy(&bytes);
        let pid: i32 = text.lines().next()?.trim().parse().ok()?;
        if pid <= 0 {
            return None;
        }
        // SAFETY: kill with signal 0 only checks that the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
        alive.then_some(pid as u32)
    }

    pub fn status(&self) -> ClusterStatus {
        let pid = self.pid();
        let initialized = self.is_initialized();
        let auth_dir = self.root.join(auth::AUTH_DIR);
        let has_password = self.has_password_file();
        let hba_trust = Dir::open(&self.root)
            .and_then(|d| d.sub("data"))
            .and_then(|d| d.read("pg_hba.conf", SMALL_FILE))
            .ok()
            .flatten()
            .is_some_and(|b| auth::uses_trust(&String::from_utf8_lossy(&b)));
        let converted = Dir::open(&self.root)
            .and_then(|d| d.sub(auth::AUTH_DIR))
            .ok()
            .and_then(|d| d.read(auth::CONVERTED_FILE, 256).ok().flatten())
            .map(|b| String::from_utf8_lossy(&b).trim().to_string());
        ClusterStatus {
            root: self.root.display().to_string(),
            initialized,
            running: pid.is_some(),
            socket_dir: self.socket_dir().display().to_string(),
            pid,
            tcp_port: self.options.tcp_port,
            authentication: if initialized && (!has_password || hba_trust) {
                "trust".into()
            } else {
                "scram-sha-256".into()
            },
            converted_from_trust: converted,
            password_file: has_password
                .then(|| auth_dir.join(auth::PASSWORD_FILE).display().to_string()),
            pgpass_file: has_password
                .then(|| auth_dir.join(auth::PGPASS_FILE).display().to_string()),
        }
    }

    /// Creates `dbname` if it does not exist (converting a running `trust` cluster first).
    pub async fn ensure_database(&self, dbname: &str) -> anyhow::Result<bool> {
        if !self.has_password_file() {
            self.convert_running().await?;
        }
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

/// `ALTER ROLE` with a SCRAM verifier computed here: the password itself never reaches the
/// server (or its log).
fn set_password_sql(password: &str) -> String {
    let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
    format!(
        "ALTER ROLE {} PASSWORD '{}';\n",
        quote_ident(SUPERUSER),
        verifier.replace('\'', "''")
    )
}

/// Refuses cluster folder paths PostgreSQL cannot record: its pid file is line-based.
fn check_path(path: &Path) -> Result<(), LocalError> {
    if path
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .any(|b| *b < b' ' || *b == 0x7f)
    {
        return Err(LocalError::BadPath {
            path: path.display().to_string().escape_debug().to_string(),
            reason: "the local database's folder path contains a control character (a newline?), which PostgreSQL cannot record in its pid file; use a project folder without one, or set DATABASE_URL".into(),
        });
    }
    Ok(())
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
    let mut current = path.parent();
    while let Some(p) = current {
        if let Ok(meta) = std::fs::metadata(p) {
            if meta.permissions().mode() & 0o001 == 0 {
                return false;
            }
        }
        current = p.parent();
    }
    true
}

/// The lines of a server log tail that say what went wrong (the last few).
fn log_problems(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| {
            ["FATAL:", "ERROR:", "PANIC:", "HINT:", "could not"]
                .iter()
                .any(|k| l.contains(k))
        })
        .collect();
    lines[lines.len().saturating_sub(4)..].join(" | ")
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
    fn long_or_unusual_paths_get_a_short_socket_folder() {
        let short = Cluster::at("/tmp/x", ClusterOptions::default());
        assert_eq!(short.socket_dir(), PathBuf::from("/tmp/x"));
        let long = Cluster::at(
            format!("/tmp/{}", "a".repeat(120)),
            ClusterOptions::default(),
        );
        let dir = long.socket_dir();
        assert!(dir.as_os_str().len() < 40, "{}", dir.display());
        for odd in ["/tmp/a b", "/tmp/a'b", "/tmp/a,b", "/tmp/a\"b", "/tmp/a\nb"] {
            let c = Cluster::at(odd, ClusterOptions::default());
            let dir = c.socket_dir().display().to_string();
            assert!(dir.starts_with("/tmp/strata-"), "{odd}: {dir}");
        }
        let c = Cluster::at("/tmp/$(x)`y`é", ClusterOptions::default());
        assert_eq!(c.socket_dir(), PathBuf::from("/tmp/$(x)`y`é"));
    }

    #[test]
    fn sanitizes_names() {
        assert_eq!(sanitize("my proj/1"), "my_proj_1");
        assert_eq!(sanitize(""), "default");
    }

    #[test]
    fn control_characters_in_the_folder_are_refused() {
        assert!(check_path(Path::new("/tmp/a\nb")).is_err());
        assert!(check_path(Path::new("/tmp/a b $(x)")).is_ok());
    }
}
