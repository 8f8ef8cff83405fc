//! Connection settings resolved the way libpq resolves them — URL or `key=value` string,
//! then the `PG*` environment variables, then the password file — and the connection
//! itself: several hosts tried in order (or at random), `target_session_attrs` checked
//! after connecting, `channel_binding`, and TLS for every `sslmode` (tokio-postgres reads
//! no environment and rejects `verify-ca`/`verify-full`, so strata does this itself).
//! Every libpq parameter is used or refused by name ([`parse::PARAMETERS`]).

mod connect;
mod parse;
mod pgpass;
mod resolve;
mod tls;

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use connect::cancel_running;
pub use parse::{Support, PARAMETERS};
pub use resolve::resolve;

/// Why a connection could not be configured or made. Messages never contain a password.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL or connection string does not parse.
    #[error("invalid database URL: {0}")]
    BadUrl(String),
    /// A parameter's value is not one libpq accepts.
    #[error("invalid connection parameter {name}: {message}")]
    BadValue { name: String, message: String },
    /// A libpq parameter (or its environment variable) strata does not support.
    #[error("connection parameter {name} is not supported: {reason}")]
    Unsupported { name: String, reason: &'static str },
    /// An `sslmode` libpq does not know.
    #[error("unknown sslmode '{0}' (expected disable, allow, prefer, require, verify-ca or verify-full)")]
    BadSslMode(String),
    /// TLS could not be set up (a certificate file missing or unreadable).
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// The server could not be reached or refused us.
    #[error("could not connect to {target}: {message}")]
    Failed { target: String, message: String },
}

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SslMode {
    Disable,
    Allow,
    #[default]
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn parse(text: &str) -> Result<SslMode, ConnectError> {
        Ok(match text {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => return Err(ConnectError::BadSslMode(other.to_string())),
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// libpq's `channel_binding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChannelBinding {
    Disable,
    #[default]
    Prefer,
    /// Refuse a connection that did not authenticate with SCRAM-SHA-256-PLUS.
    Require,
}

/// libpq's `target_session_attrs`: what the server a connection ends on must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionAttrs {
    #[default]
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    /// A standby if any host is one, else any.
    PreferStandby,
}

impl SessionAttrs {
    fn as_str(self) -> &'static str {
        match self {
            SessionAttrs::Any => "any",
            SessionAttrs::ReadWrite => "read-write",
            SessionAttrs::ReadOnly => "read-only",
            SessionAttrs::Primary => "primary",
            SessionAttrs::Standby => "standby",
            SessionAttrs::PreferStandby => "prefer-standby",
        }
    }
}

/// A TLS protocol version rustls speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TlsVersion {
    V1_2,
    V1_3,
}

/// One server to try: a host name, IP address or Unix socket folder (starts with `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSpec {
    pub host: String,
    /// `hostaddr`: connect here instead of looking `host` up (host still names it for TLS).
    pub hostaddr: Option<IpAddr>,
    pub port: u16,
    /// The password file's password for this host, when no password was given.
    pub passfile_password: Option<Secret>,
}

/// A password that never shows in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl HostSpec {
    pub fn is_unix_socket(&self) -> bool {
        self.host.starts_with('/')
    }

    fn label(&self) -> String {
        if self.is_unix_socket() {
            format!("{}/.s.PGSQL.{}", self.host, self.port)
        } else if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// TLS settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsParams {
    pub rootcert: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// `sslcertmode=disable` turns this off.
    pub send_client_cert: bool,
    pub sni: bool,
    /// `sslnegotiation=direct`.
    pub direct: bool,
    pub min_version: TlsVersion,
    pub max_version: TlsVersion,
}

impl Default for TlsParams {
    fn default() -> Self {
        TlsParams {
            rootcert: None,
            cert: None,
            key: None,
            send_client_cert: true,
            sni: true,
            direct: false,
            min_version: TlsVersion::V1_2,
            max_version: TlsVersion::V1_3,
        }
    }
}

/// TCP settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TcpParams {
    pub keepalives_off: bool,
    pub keepalives_idle: Option<Duration>,
    pub keepalives_interval: Option<Duration>,
    pub keepalives_count: Option<u32>,
    pub user_timeout: Option<Duration>,
}

/// Everything needed to connect, resolved once.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConnParams {
    /// Servers to try, in order (at least one).
    pub hosts: Vec<HostSpec>,
    pub user: String,
    pub password: Option<String>,
    pub dbname: String,
    pub sslmode: SslMode,
    pub tls: TlsParams,
    pub channel_binding: ChannelBinding,
    pub target_session_attrs: SessionAttrs,
    /// `load_balance_hosts=random`.
    pub load_balance: bool,
    /// `None`: strata's default (10 s); zero: wait for ever.
    pub connect_timeout: Option<Duration>,
    pub tcp: TcpParams,
    /// `application_name` shown in `pg_stat_activity`.
    pub application_name: Option<String>,
    /// Extra `options` passed to the server (`-c key=value`).
    pub options: Option<String>,
}

impl fmt::Debug for ConnParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConnParams({})", self.redacted())
    }
}

/// An environment to resolve from: real (`std::env`) or given (tests).
pub trait Env {
    fn var(&self, key: &str) -> Option<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok().filter(|v| !v.is_empty())
    }
}

impl Env for BTreeMap<String, String> {
    fn var(&self, key: &str) -> Option<String> {
        self.get(key).cloned().filter(|v| !v.is_empty())
    }
}

/// The libpq environment variables strata reads (and refuses, for the unsupported ones).
pub fn pg_env_vars() -> impl Iterator<Item = &'static str> {
    PARAMETERS
        .iter()
        .filter_map(|(_, var, _)| *var)
        .chain(parse::SETTING_VARIABLES.iter().map(|(v, _)| *v))
}

/// True when any connection-defining variable is set: then the local database is not used.
pub fn env_configures_connection(env: &dyn Env) -> bool {
    [
        "PGHOST",
        "PGHOSTADDR",
        "PGPORT",
        "PGDATABASE",
        "PGUSER",
        "PGSERVICE",
    ]
    .iter()
    .any(|k| env.var(k).is_some())
}

impl ConnParams {
    /// Parameters for a Unix-socket connection to a local server (no TLS).
    pub fn unix(socket_dir: &Path, port: u16, user: &str, dbname: &str) -> ConnParams {
        ConnParams {
            hosts: vec![HostSpec {
                host: socket_dir.display().to_string(),
                hostaddr: None,
                port,
                passfile_password: None,
            }],
            user: user.into(),
            dbname: dbname.into(),
            sslmode: SslMode::Disable,
            ..ConnParams::default()
        }
    }

    /// The first (usually only) host.
    pub fn first_host(&self) -> Option<&HostSpec> {
        self.hosts.first()
    }

    /// True when the (first) host is a Unix socket directory.
    pub fn is_unix_socket(&self) -> bool {
        self.first_host().is_some_and(HostSpec::is_unix_socket)
    }

    /// A URL for the same target without the password: safe for any output.
    pub fn redacted(&self) -> String {
        let sockets = self.hosts.iter().any(HostSpec::is_unix_socket);
        if sockets {
            let hosts: Vec<&str> = self.hosts.iter().map(|h| h.host.as_str()).collect();
            let ports: Vec<String> = self.hosts.iter().map(|h| h.port.to_string()).collect();
            let port = if self.hosts.iter().all(|h| h.port == 5432) {
                String::new()
            } else {
                format!("&port={}", ports.join(","))
            };
            format!(
                "postgres://{}@/{}?host={}{port}",
                self.user,
                self.dbname,
                hosts.join(",")
            )
        } else {
            let hosts: Vec<String> = self.hosts.iter().map(HostSpec::label).collect();
            format!(
                "postgres://{}@{}/{}",
                self.user,
                hosts.join(","),
                self.dbname
            )
        }
    }

    /// A full URL including the password (percent-encoded): for handing to other
    /// programs, never for display.
    pub fn to_url(&self) -> String {
        use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
        // Everything but RFC 3986's unreserved characters is encoded.
        const SET: &AsciiSet = &NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');
        let enc = |s: &str| utf8_percent_encode(s, SET).to_string();
        let auth = match &self.password {
            Some(p) => format!("{}:{}@", enc(&self.user), enc(p)),
            None => format!("{}@", enc(&self.user)),
        };
        let mut query: Vec<String> = Vec::new();
        let mut url = if self.hosts.iter().any(HostSpec::is_unix_socket) {
            let hosts: Vec<String> = self.hosts.iter().map(|h| enc(&h.host)).collect();
            let ports: Vec<String> = self.hosts.iter().map(|h| h.port.to_string()).collect();
            query.push(format!("host={}", hosts.join(",")));
            query.push(format!("port={}", ports.join(",")));
            format!("postgres://{auth}/{}", enc(&self.dbname))
        } else {
            let hosts: Vec<String> = self.hosts.iter().map(HostSpec::label).collect();
            format!("postgres://{auth}{}/{}", hosts.join(","), enc(&self.dbname))
        };
        if self.hosts.iter().any(|h| h.hostaddr.is_some()) {
            let addrs: Vec<String> = self
                .hosts
                .iter()
                .map(|h| h.hostaddr.map(|a| a.to_string()).unwrap_or_default())
                .collect();
            query.push(format!("hostaddr={}", addrs.join(",")));
        }
        if !self.is_unix_socket() && self.sslmode != SslMode::Prefer {
            query.push(format!("sslmode={}", self.sslmode.as_str()));
        }
        for (key, value) in [
            ("sslrootcert", &self.tls.rootcert),
            ("sslcert", &self.tls.cert),
            ("sslkey", &self.tls.key),
        ] {
            if let Some(v) = value {
                query.push(format!("{key}={}", enc(&v.display().to_string())));
            }
        }
        match self.channel_binding {
            ChannelBinding::Prefer => {}
            ChannelBinding::Disable => query.push("channel_binding=disable".into()),
            ChannelBinding::Require => query.push("channel_binding=require".into()),
        }
        if self.target_session_attrs != SessionAttrs::Any {
            query.push(format!(
                "target_session_attrs={}",
                self.target_session_attrs.as_str()
            ));
        }
        if let Some(t) = self.connect_timeout {
            query.push(format!("connect_timeout={}", t.as_secs()));
        }
        if let Some(o) = &self.options {
            query.push(format!("options={}", enc(o)));
        }
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.join("&"));
        }
        url
    }

    /// The same server, another database.
    pub fn with_dbname(&self, dbname: &str) -> ConnParams {
        ConnParams {
            dbname: dbname.into(),
            ..self.clone()
        }
    }
}

/// The name of the OS user with `uid`, from the password database.
pub fn user_name(uid: u32) -> Option<String> {
    // SAFETY: getpwuid returns static storage or NULL; the name is copied at once.
    unsafe {
        let pw = libc::getpwuid(uid);
        if pw.is_null() {
            return None;
        }
        Some(
            std::ffi::CStr::from_ptr((*pw).pw_name)
                .to_string_lossy()
                .into_owned(),
        )
    }
}

/// The name of the OS user running strata, from the password database.
pub fn current_user_name() -> Option<String> {
    // SAFETY: getuid has no preconditions.
    user_name(unsafe { libc::getuid() })
}

/// One line describing a driver error: the server's message when there is one, else the
/// error chain.
pub fn describe_pg_error(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    error_chain(e)
}

/// An error with each of its causes that adds something, on one line.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn url_with_encoded_password_and_params() {
        let p = resolve(
            Some("postgres://app:p%40ss%25w0rd@db.example:6543/prod?sslmode=verify-full&application_name=x"),
            &env(&[]),
        )
        .unwrap();
        assert_eq!(p.hosts[0].host, "db.example");
        assert_eq!(p.hosts[0].port, 6543);
        assert_eq!(p.user, "app");
        assert_eq!(p.password.as_deref(), Some("p@ss%w0rd"));
        assert_eq!(p.dbname, "prod");
        assert_eq!(p.sslmode, SslMode::VerifyFull);
        assert!(!p.redacted().contains("p@ss"));
        assert!(!format!("{p:?}").contains("p@ss"));
        // The URL round-trips (application_name is not part of it).
        let again = resolve(Some(&p.to_url()), &env(&[])).unwrap();
        assert_eq!(
            again,
            ConnParams {
                application_name: None,
                ..p
            }
        );
    }

    #[test]
    fn unix_socket_and_ipv6_urls() {
        let p = resolve(
            Some("postgresql:///vrss?host=/tmp/sock&port=7000"),
            &env(&[]),
        )
        .unwrap();
        assert_eq!(
            (p.hosts[0].host.as_str(), p.hosts[0].port, p.dbname.as_str()),
            ("/tmp/sock", 7000, "vrss")
        );
        let p = resolve(Some("postgres://u@%2Ftmp%2Fs/db"), &env(&[])).unwrap();
        assert_eq!(p.hosts[0].host, "/tmp/s");
        let p = resolve(Some("postgres://u@[::1]:5433/db"), &env(&[])).unwrap();
        assert_eq!((p.hosts[0].host.as_str(), p.hosts[0].port), ("::1", 5433));
        // The URL of a socket target round-trips too.
        let p = resolve(
            Some("postgresql:///vrss?host=/tmp/sock&port=7000"),
            &env(&[]),
        )
        .unwrap();
        assert_eq!(resolve(Some(&p.to_url()), &env(&[])).unwrap(), p);
    }

    #[test]
    fn key_value_strings() {
        let p = resolve(
            Some("host=h user=bob password='a b\\'c' dbname=d"),
            &env(&[]),
        )
        .unwrap();
        assert_eq!(p.password.as_deref(), Some("a b'c"));
    }

    #[test]
    fn environment_fills_what_the_url_leaves_out() {
        let e = env(&[
            ("PGHOST", "envhost"),
            ("PGPORT", "6000"),
            ("PGUSER", "envuser"),
            ("PGPASSWORD", "secret"),
            ("PGDATABASE", "envdb"),
            ("PGSSLMODE", "require"),
        ]);
        let p = resolve(None, &e).unwrap();
        assert_eq!(
            (
                p.hosts[0].host.as_str(),
                p.hosts[0].port,
                p.user.as_str(),
                p.dbname.as_str()
            ),
            ("envhost", 6000, "envuser", "envdb")
        );
        assert_eq!(p.sslmode, SslMode::Require);
        assert_eq!(p.password.as_deref(), Some("secret"));
        let p = resolve(Some("postgres://urluser@urlhost/urldb"), &e).unwrap();
        assert_eq!(
            (p.hosts[0].host.as_str(), p.hosts[0].port, p.user.as_str()),
            ("urlhost", 6000, "urluser")
        );
        assert!(env_configures_connection(&e));
        assert!(!env_configures_connection(&env(&[("PGPASSWORD", "x")])));
    }

    #[test]
    fn bad_inputs_are_rejected() {
        for (url, expected) in [
            (
                "postgres://h/db?sslmode=paranoid",
                "unknown sslmode 'paranoid'",
            ),
            ("postgres://h:notaport/db", "invalid port"),
            (
                "postgres://h/db?frobnicate=1",
                "unknown connection parameter",
            ),
            ("mysql://h/db", "expected postgres://"),
        ] {
            let err = resolve(Some(url), &env(&[])).unwrap_err().to_string();
            assert!(err.contains(expected), "{url}: {err}");
        }
    }

    #[test]
    fn pgpass_matches_with_wildcards_and_escapes() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:5432:*:bob:nope\ndb.example:*:prod:bob:pa\\:ss\n*:*:*:*:fallback\n",
        )
        .unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let e = env(&[("PGPASSFILE", file.to_str().unwrap())]);
        let pw = |p: &ConnParams| p.hosts[0].passfile_password.clone().map(|s| s.0);
        let p = resolve(Some("postgres://bob@db.example/prod"), &e).unwrap();
        assert_eq!(pw(&p).as_deref(), Some("pa:ss"));
        let p = resolve(Some("postgres://amy@elsewhere/x"), &e).unwrap();
        assert_eq!(pw(&p).as_deref(), Some("fallback"));
        // Each host of a list is looked up on its own.
        let p = resolve(Some("postgres://bob@other,db.example/prod"), &e).unwrap();
        assert_eq!(
            (
                pw(&p).as_deref(),
                p.hosts[1].passfile_password.as_ref().map(|s| s.0.as_str())
            ),
            (Some("nope"), Some("pa:ss"))
        );
        // A world-readable file is ignored, as libpq does.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let p = resolve(Some("postgres://amy@elsewhere/x"), &e).unwrap();
        assert_eq!(pw(&p), None);
    }

    #[test]
    fn parameters_resolve_or_are_refused() {
        let p = resolve(
            Some("postgres://u@h1:5433,h2/db?target_session_attrs=read-write&channel_binding=require&sslmode=require&sslcert=/c.crt&sslkey=/c.key&keepalives_idle=30&load_balance_hosts=random"),
            &env(&[]),
        )
        .unwrap();
        assert_eq!(p.hosts.len(), 2);
        assert_eq!((p.hosts[0].port, p.hosts[1].port), (5433, 5432));
        assert_eq!(p.target_session_attrs, SessionAttrs::ReadWrite);
        assert_eq!(p.channel_binding, ChannelBinding::Require);
        assert_eq!(p.tls.cert.as_deref(), Some(Path::new("/c.crt")));
        assert_eq!(p.tcp.keepalives_idle, Some(Duration::from_secs(30)));
        assert!(p.load_balance);
        assert_eq!(
            resolve(Some(&p.to_url()), &env(&[])).unwrap().hosts,
            p.hosts
        );
        for (url, expected) in [
            (
                "postgres://h/db?channel_binding=require&sslmode=disable",
                "require needs TLS",
            ),
            (
                "postgres://h/db?target_session_attrs=sometimes",
                "target_session_attrs: 'sometimes'",
            ),
            (
                "postgres://h/db?gssencmode=require",
                "gssencmode=require is not supported",
            ),
            (
                "postgres://h/db?sslcompression=1",
                "sslcompression=1 is not supported",
            ),
            (
                "postgres://h/db?client_encoding=LATIN1",
                "client_encoding=LATIN1 is not supported",
            ),
            (
                "postgres://h/db?sslrootcert=system",
                "system needs sslmode=verify-full",
            ),
            ("host=a,b,c port=1,2", "2 ports for 3 hosts"),
        ] {
            let e = resolve(Some(url), &env(&[])).unwrap_err().to_string();
            assert!(e.contains(expected), "{url}: {e}");
        }
        let e = resolve(None, &env(&[("PGHOST", "h"), ("PGSERVICE", "prod")]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("service (environment variable PGSERVICE) is not supported"),
            "{e}"
        );
        let p = resolve(None, &env(&[("PGHOST", "h"), ("PGTZ", "Europe/Paris")])).unwrap();
        assert_eq!(p.options.as_deref(), Some("-c TimeZone=Europe/Paris"));
    }
}
