//! Connection settings resolved the way libpq resolves them — URL or `key=value` string,
//! then the `PG*` environment variables, then `~/.pgpass` — and the connection itself,
//! with TLS for every `sslmode` (tokio-postgres reads no environment and rejects
//! `verify-ca`/`verify-full`, so strata does this itself).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tokio_postgres::config::SslMode as PgSslMode;
use tokio_postgres::Client;

/// Why a connection could not be configured or made. Messages never contain a password.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL or connection string does not parse.
    #[error("invalid database URL: {0}")]
    BadUrl(String),
    /// An `sslmode` libpq does not know.
    #[error("unknown sslmode '{0}' (expected disable, allow, prefer, require, verify-ca or verify-full)")]
    BadSslMode(String),
    /// TLS could not be set up (root certificate missing or unreadable).
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
}

/// Everything needed to connect, resolved once.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConnParams {
    /// Host name, IP address, or a Unix socket directory (starts with `/`).
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: Option<String>,
    pub dbname: String,
    pub sslmode: SslMode,
    pub sslrootcert: Option<PathBuf>,
    pub connect_timeout: Option<Duration>,
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

/// The parameters a connection string or URL gave explicitly; `None` = not given.
#[derive(Debug, Default, Clone)]
struct Given {
    host: Option<String>,
    port: Option<String>,
    user: Option<String>,
    password: Option<String>,
    dbname: Option<String>,
    sslmode: Option<String>,
    sslrootcert: Option<String>,
    connect_timeout: Option<String>,
    application_name: Option<String>,
    options: Option<String>,
}

impl Given {
    fn set(&mut self, key: &str, value: String) -> Result<(), ConnectError> {
        let slot = match key {
            "host" | "hostaddr" => &mut self.host,
            "port" => &mut self.port,
            "user" => &mut self.user,
            "password" => &mut self.password,
            "dbname" => &mut self.dbname,
            "sslmode" => &mut self.sslmode,
            "sslrootcert" => &mut self.sslrootcert,
            "connect_timeout" => &mut self.connect_timeout,
            "application_name" | "fallback_application_name" => &mut self.application_name,
            "options" => &mut self.options,
            // Accepted and ignored, as libpq users pass them routinely.
            "sslcert"
            | "sslkey"
            | "target_session_attrs"
            | "keepalives"
            | "gssencmode"
            | "channel_binding"
            | "sslcompression"
            | "sslsni" => return Ok(()),
            other => {
                return Err(ConnectError::BadUrl(format!(
                    "unknown connection parameter '{other}'"
                )))
            }
        };
        *slot = Some(value);
        Ok(())
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

/// The libpq environment variables strata reads.
pub const PG_ENV_VARS: &[&str] = &[
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGUSER",
    "PGPASSWORD",
    "PGDATABASE",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGCONNECT_TIMEOUT",
    "PGAPPNAME",
];

/// True when any connection-defining variable is set: then the local database is not used.
pub fn env_configures_connection(env: &dyn Env) -> bool {
    ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER"]
        .iter()
        .any(|k| env.var(k).is_some())
}

/// Resolves connection parameters from an optional URL or connection string, the
/// environment and the password file, as libpq does.
pub fn resolve(url: Option<&str>, env: &dyn Env) -> Result<ConnParams, ConnectError> {
    let given = match url {
        Some(u) => parse_conninfo(u)?,
        None => Given::default(),
    };
    let os_user = || {
        std::env::var("USER")
            .ok()
            .or_else(crate::local::current_user_name)
            .unwrap_or_else(|| "postgres".into())
    };
    let host = given
        .host
        .or_else(|| env.var("PGHOST"))
        .or_else(|| env.var("PGHOSTADDR"))
        .unwrap_or_else(|| {
            if Path::new("/var/run/postgresql").is_dir() {
                "/var/run/postgresql".into()
            } else {
                "localhost".into()
            }
        });
    let port_text = given.port.or_else(|| env.var("PGPORT"));
    let port = match port_text {
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| ConnectError::BadUrl(format!("invalid port '{p}'")))?,
        None => 5432,
    };
    let user = given
        .user
        .or_else(|| env.var("PGUSER"))
        .unwrap_or_else(os_user);
    let dbname = given
        .dbname
        .or_else(|| env.var("PGDATABASE"))
        .unwrap_or_else(|| user.clone());
    let sslmode = match given.sslmode.or_else(|| env.var("PGSSLMODE")) {
        Some(m) => SslMode::parse(&m)?,
        None => SslMode::Prefer,
    };
    let connect_timeout = match given
        .connect_timeout
        .or_else(|| env.var("PGCONNECT_TIMEOUT"))
    {
        Some(t) => Some(Duration::from_secs(t.parse::<u64>().map_err(|_| {
            ConnectError::BadUrl(format!("invalid connect_timeout '{t}'"))
        })?)),
        None => None,
    };
    let mut params = ConnParams {
        host,
        port,
        user,
        password: given.password.or_else(|| env.var("PGPASSWORD")),
        dbname,
        sslmode,
        sslrootcert: given
            .sslrootcert
            .or_else(|| env.var("PGSSLROOTCERT"))
            .map(PathBuf::from),
        connect_timeout,
        application_name: given.application_name.or_else(|| env.var("PGAPPNAME")),
        options: given.options,
    };
    if params.password.is_none() {
        let file = env
            .var("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| env.var("HOME").map(|h| Path::new(&h).join(".pgpass")));
        if let Some(file) = file {
            params.password = pgpass_lookup(&file, &params);
        }
    }
    Ok(params)
}

/// Parses a `postgres://` URL or a `key=value` connection string.
fn parse_conninfo(text: &str) -> Result<Given, ConnectError> {
    let text = text.trim();
    if let Some(rest) = text
        .strip_prefix("postgresql://")
        .or_else(|| text.strip_prefix("postgres://"))
    {
        parse_url(rest)
    } else if text.contains('=') {
        parse_key_values(text)
    } else {
        Err(ConnectError::BadUrl(
            "expected postgres://user@host:port/dbname or key=value pairs".into(),
        ))
    }
}

fn decode(part: &str) -> Result<String, ConnectError> {
    percent_decode_str(part)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ConnectError::BadUrl("percent-encoding is not valid UTF-8".into()))
}

fn parse_url(rest: &str) -> Result<Given, ConnectError> {
    let mut given = Given::default();
    let (main, query) = match rest.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match main.find('/') {
        Some(i) => (&main[..i], Some(&main[i + 1..])),
        None => (main, None),
    };
    // user:password@host:port — the password may contain '@' only percent-encoded, but be
    // forgiving and split at the last '@'.
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    if let Some(userinfo) = userinfo {
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        if !user.is_empty() {
            given.user = Some(decode(user)?);
        }
        if let Some(p) = password {
            given.password = Some(decode(p)?);
        }
    }
    if !hostport.is_empty() {
        if hostport.contains(',') {
            return Err(ConnectError::BadUrl(
                "several hosts in one URL are not supported".into(),
            ));
        }
        let (host, port) = if let Some(stripped) = hostport.strip_prefix('[') {
            let end = stripped
                .find(']')
                .ok_or_else(|| ConnectError::BadUrl("unterminated [IPv6 address]".into()))?;
            let host = &stripped[..end];
            let after = &stripped[end + 1..];
            (
                host.to_string(),
                after.strip_prefix(':').map(str::to_string),
            )
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (decode(h)?, Some(p.to_string())),
                None => (decode(hostport)?, None),
            }
        };
        if !host.is_empty() {
            given.host = Some(host);
        }
        if let Some(port) = port.filter(|p| !p.is_empty()) {
            given.port = Some(port);
        }
    }
    if let Some(path) = path.filter(|p| !p.is_empty()) {
        given.dbname = Some(decode(path)?);
    }
    if let Some(query) = query {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').ok_or_else(|| {
                ConnectError::BadUrl(format!("query parameter '{pair}' has no value"))
            })?;
            given.set(&decode(k)?, decode(v)?)?;
        }
    }
    Ok(given)
}

fn parse_key_values(text: &str) -> Result<Given, ConnectError> {
    let mut given = Given::default();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(ConnectError::BadUrl(format!("missing '=' after '{key}'")));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => return Err(ConnectError::BadUrl("unterminated quoted value".into())),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                if c == '\\' {
                    chars.next();
                    value.extend(chars.next());
                    continue;
                }
                value.push(c);
                chars.next();
            }
        }
        given.set(&key, value)?;
    }
    Ok(given)
}

/// Looks the password up in a `.pgpass` file (host:port:database:user:password, `*`
/// wildcards, `\` escapes). libpq ignores a file readable by group or others; so does
/// strata.
pub fn pgpass_lookup(file: &Path, params: &ConnParams) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(file).ok()?;
    if meta.permissions().mode() & 0o077 != 0 {
        eprintln!(
            "warning: password file {} has group or world access; permissions should be u=rw (0600) or less",
            file.display()
        );
        return None;
    }
    let text = std::fs::read_to_string(file).ok()?;
    let host = if params.host.starts_with('/') {
        "localhost".to_string()
    } else {
        params.host.clone()
    };
    let port = params.port.to_string();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass_line(line);
        if fields.len() != 5 {
            continue;
        }
        let matches = |field: &str, value: &str| field == "*" || field == value;
        if matches(&fields[0], &host)
            && matches(&fields[1], &port)
            && matches(&fields[2], &params.dbname)
            && matches(&fields[3], &params.user)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("non-empty").push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("non-empty").push(c),
        }
    }
    fields
}

impl ConnParams {
    /// Parameters for a Unix-socket connection to a local server (no password, no TLS).
    pub fn unix(socket_dir: &Path, port: u16, user: &str, dbname: &str) -> ConnParams {
        ConnParams {
            host: socket_dir.display().to_string(),
            port,
            user: user.into(),
            dbname: dbname.into(),
            sslmode: SslMode::Disable,
            ..ConnParams::default()
        }
    }

    /// True when `host` is a Unix socket directory.
    pub fn is_unix_socket(&self) -> bool {
        self.host.starts_with('/')
    }

    /// A URL for the same target without the password: safe for any output.
    pub fn redacted(&self) -> String {
        let host = if self.is_unix_socket() {
            format!("?host={}", self.host)
        } else if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        };
        if self.is_unix_socket() {
            format!(
                "postgres://{}@/{}{}{}",
                self.user,
                self.dbname,
                host,
                if self.port != 5432 {
                    format!("&port={}", self.port)
                } else {
                    String::new()
                }
            )
        } else {
            format!("postgres://{}@{}/{}", self.user, host, self.dbname)
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
        let mut url = if self.is_unix_socket() {
            format!(
                "postgres://{auth}/{}?host={}&port={}",
                enc(&self.dbname),
                enc(&self.host),
                self.port
            )
        } else if self.host.contains(':') {
            format!(
                "postgres://{auth}[{}]:{}/{}",
                self.host,
                self.port,
                enc(&self.dbname)
            )
        } else {
            format!(
                "postgres://{auth}{}:{}/{}",
                self.host,
                self.port,
                enc(&self.dbname)
            )
        };
        if !self.is_unix_socket() && self.sslmode != SslMode::Prefer {
            let mode = serde_json::to_value(self.sslmode)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            url.push_str(&format!("?sslmode={mode}"));
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

    fn pg_config(&self) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        if self.is_unix_socket() {
            config.host_path(&self.host);
        } else {
            config.host(&self.host);
        }
        config.port(self.port).user(&self.user).dbname(&self.dbname);
        if let Some(p) = &self.password {
            config.password(p);
        }
        config.ssl_mode(match (self.is_unix_socket(), self.sslmode) {
            (true, _) | (_, SslMode::Disable) => PgSslMode::Disable,
            (_, SslMode::Allow | SslMode::Prefer) => PgSslMode::Prefer,
            (_, SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull) => PgSslMode::Require,
        });
        config.connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)));
        if let Some(app) = &self.application_name {
            config.application_name(app);
        }
        if let Some(options) = &self.options {
            config.options(options);
        }
        config
    }

    /// Connects and spawns the connection task. The error names the target, never the
    /// password. The connection's cancel key is registered so a signal can cancel what it
    /// runs ([`cancel_running`]).
    pub async fn connect(&self) -> Result<Client, ConnectError> {
        let client = self.connect_unregistered().await?;
        if let Ok(mut list) = RUNNING.lock() {
            list.push((client.cancel_token(), self.clone()));
        }
        Ok(client)
    }

    async fn connect_unregistered(&self) -> Result<Client, ConnectError> {
        let config = self.pg_config();
        let failed = |e: tokio_postgres::Error| ConnectError::Failed {
            target: self.redacted(),
            message: describe_pg_error(&e),
        };
        if self.is_unix_socket() || self.sslmode == SslMode::Disable {
            let (client, connection) = config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(failed)?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Ok(client)
        } else {
            let tls = tokio_postgres_rustls::MakeRustlsConnect::new(self.tls_config()?);
            let (client, connection) = config.connect(tls).await.map_err(failed)?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Ok(client)
        }
    }

    fn tls_config(&self) -> Result<rustls::ClientConfig, ConnectError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| ConnectError::Tls(e.to_string()))?;
        let config = match self.sslmode {
            SslMode::VerifyCa | SslMode::VerifyFull => {
                let roots = Arc::new(self.root_store()?);
                let webpki = rustls::client::WebPkiServerVerifier::builder_with_provider(
                    roots,
                    provider.clone(),
                )
                .build()
                .map_err(|e| ConnectError::Tls(e.to_string()))?;
                if self.sslmode == SslMode::VerifyFull {
                    builder.with_webpki_verifier(webpki).with_no_client_auth()
                } else {
                    builder
                        .dangerous()
                        .with_custom_certificate_verifier(Arc::new(tls::CaOnly { inner: webpki }))
                        .with_no_client_auth()
                }
            }
            _ => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(tls::NoVerification(provider)))
                .with_no_client_auth(),
        };
        Ok(config)
    }

    fn root_store(&self) -> Result<rustls::RootCertStore, ConnectError> {
        let path = match &self.sslrootcert {
            Some(p) => p.clone(),
            None => {
                let home = std::env::var("HOME").unwrap_or_default();
                Path::new(&home).join(".postgresql/root.crt")
            }
        };
        let mut store = rustls::RootCertStore::empty();
        if path.as_os_str() == "system" {
            store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            return Ok(store);
        }
        let pem = std::fs::read(&path).map_err(|e| {
            ConnectError::Tls(format!(
                "root certificate file {} cannot be read ({e}); sslmode={} needs one (sslrootcert or ~/.postgresql/root.crt)",
                path.display(),
                if self.sslmode == SslMode::VerifyCa { "verify-ca" } else { "verify-full" }
            ))
        })?;
        for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
            let cert = cert.map_err(|e| ConnectError::Tls(format!("{}: {e}", path.display())))?;
            store
                .add(cert)
                .map_err(|e| ConnectError::Tls(format!("{}: {e}", path.display())))?;
        }
        if store.is_empty() {
            return Err(ConnectError::Tls(format!(
                "{}: no certificate found",
                path.display()
            )));
        }
        Ok(store)
    }
}

/// Cancel keys of the connections this process opened.
static RUNNING: std::sync::Mutex<Vec<(tokio_postgres::CancelToken, ConnParams)>> =
    std::sync::Mutex::new(Vec::new());

/// Cancels whatever each open connection is running (on SIGINT/SIGTERM): the server rolls
/// the transaction back and the session's locks go with it.
pub async fn cancel_running() {
    let list: Vec<_> = RUNNING.lock().map(|l| l.clone()).unwrap_or_default();
    for (token, params) in list {
        let result = if params.is_unix_socket() || params.sslmode == SslMode::Disable {
            token.cancel_query(tokio_postgres::NoTls).await
        } else {
            match params.tls_config() {
                Ok(tls) => {
                    token
                        .cancel_query(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
                        .await
                }
                Err(_) => Ok(()),
            }
        };
        let _ = result;
    }
}

/// One line describing a driver error: the server's message when there is one, else the
/// error chain.
pub fn describe_pg_error(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
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

mod tls {
    //! Certificate verifiers for `sslmode=require` (encrypt, do not verify, as libpq does
    //! without a root certificate) and `verify-ca` (verify the chain, not the host name).

    use std::sync::Arc;

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::client::WebPkiServerVerifier;
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, SignatureScheme};

    #[derive(Debug)]
    pub struct NoVerification(pub Arc<CryptoProvider>);

    impl ServerCertVerifier for NoVerification {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }

    /// Verifies the certificate chain against the roots but accepts any host name.
    #[derive(Debug)]
    pub struct CaOnly {
        pub inner: Arc<WebPkiServerVerifier>,
    }

    impl ServerCertVerifier for CaOnly {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            match self
                .inner
                .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
            {
                Err(rustls::Error::InvalidCertificate(
                    rustls::CertificateError::NotValidForName
                    | rustls::CertificateError::NotValidForNameContext { .. },
                )) => Ok(ServerCertVerified::assertion()),
                other => other,
            }
        }
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.inner.verify_tls12_signature(message, cert, dss)
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.inner.verify_tls13_signature(message, cert, dss)
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.inner.supported_verify_schemes()
        }
    }
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
        assert_eq!(p.host, "db.example");
        assert_eq!(p.port, 6543);
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
            (p.host.as_str(), p.port, p.dbname.as_str()),
            ("/tmp/sock", 7000, "vrss")
        );
        let p = resolve(Some("postgres://u@%2Ftmp%2Fs/db"), &env(&[])).unwrap();
        assert_eq!(p.host, "/tmp/s");
        let p = resolve(Some("postgres://u@[::1]:5433/db"), &env(&[])).unwrap();
        assert_eq!((p.host.as_str(), p.port), ("::1", 5433));
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
            (p.host.as_str(), p.port, p.user.as_str(), p.dbname.as_str()),
            ("envhost", 6000, "envuser", "envdb")
        );
        assert_eq!(p.sslmode, SslMode::Require);
        assert_eq!(p.password.as_deref(), Some("secret"));
        let p = resolve(Some("postgres://urluser@urlhost/urldb"), &e).unwrap();
        assert_eq!(
            (p.host.as_str(), p.port, p.user.as_str()),
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
        let p = resolve(Some("postgres://bob@db.example/prod"), &e).unwrap();
        assert_eq!(p.password.as_deref(), Some("pa:ss"));
        let p = resolve(Some("postgres://amy@elsewhere/x"), &e).unwrap();
        assert_eq!(p.password.as_deref(), Some("fallback"));
        // A world-readable file is ignored, as libpq does.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let p = resolve(Some("postgres://amy@elsewhere/x"), &e).unwrap();
        assert_eq!(p.password, None);
    }
}
