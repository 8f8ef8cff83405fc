//! Resolving connection parameters as libpq does: the URL or connection string first, then
//! the `PG*` variables, then the password file; each value checked, every unsupported
//! parameter refused by name.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::parse::{self, Support, PARAMETERS};
use super::{
    pgpass, ChannelBinding, ConnParams, ConnectError, Env, HostSpec, Secret, SessionAttrs, SslMode,
    TlsVersion,
};

fn bad_value(name: &str, message: impl Into<String>) -> ConnectError {
    ConnectError::BadValue {
        name: name.to_string(),
        message: message.into(),
    }
}

fn parse_bool(name: &str, v: &str) -> Result<bool, ConnectError> {
    match v {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(bad_value(name, format!("'{v}' (expected 0 or 1)"))),
    }
}

fn parse_seconds(name: &str, v: &str) -> Result<Duration, ConnectError> {
    v.trim()
        .parse::<u64>()
        .map(Duration::from_secs)
        .map_err(|_| bad_value(name, format!("'{v}' is not a whole number of seconds")))
}

/// Resolves connection parameters from an optional URL or connection string, the
/// environment and the password file, as libpq does.
pub fn resolve(url: Option<&str>, env: &dyn Env) -> Result<ConnParams, ConnectError> {
    let given = match url {
        Some(u) => parse::parse_conninfo(u)?,
        None => parse::Given::default(),
    };
    for (name, var, support) in PARAMETERS {
        if let (Some(var), Support::No(reason)) = (var, support) {
            if env.var(var).is_some() {
                return Err(ConnectError::Unsupported {
                    name: format!("{name} (environment variable {var})"),
                    reason,
                });
            }
        }
    }
    let get = |name: &str| -> Option<String> {
        given.get(name).map(str::to_string).or_else(|| {
            PARAMETERS
                .iter()
                .find(|(p, _, _)| *p == name)
                .and_then(|(_, var, _)| var.and_then(|v| env.var(v)))
        })
    };
    let user = get("user").unwrap_or_else(|| {
        std::env::var("USER")
            .ok()
            .or_else(super::current_user_name)
            .unwrap_or_else(|| "postgres".into())
    });
    let dbname = get("dbname").unwrap_or_else(|| user.clone());
    let hosts = resolve_hosts(get("host"), get("hostaddr"), get("port"))?;
    let sslmode = match (get("sslmode"), get("requiressl")) {
        (Some(m), _) => SslMode::parse(&m)?,
        (None, Some(r)) if parse_bool("requiressl", &r)? => SslMode::Require,
        _ => SslMode::Prefer,
    };
    let mut params = ConnParams {
        hosts,
        user,
        password: get("password"),
        dbname,
        sslmode,
        ..ConnParams::default()
    };
    resolve_tls(&mut params, &get)?;
    params.channel_binding = match get("channel_binding").as_deref() {
        None | Some("prefer") => ChannelBinding::Prefer,
        Some("disable") => ChannelBinding::Disable,
        Some("require") => ChannelBinding::Require,
        Some(v) => {
            return Err(bad_value(
                "channel_binding",
                format!("'{v}' (expected disable, prefer or require)"),
            ))
        }
    };
    if params.channel_binding == ChannelBinding::Require
        && (params.sslmode == SslMode::Disable || params.hosts.iter().all(|h| h.is_unix_socket()))
    {
        return Err(bad_value(
            "channel_binding",
            "require needs TLS (SCRAM-SHA-256-PLUS binds to the TLS channel), but sslmode=disable or a Unix socket turns TLS off",
        ));
    }
    params.target_session_attrs = match get("target_session_attrs").as_deref() {
        None | Some("any") => SessionAttrs::Any,
        Some("read-write") => SessionAttrs::ReadWrite,
        Some("read-only") => SessionAttrs::ReadOnly,
        Some("primary") => SessionAttrs::Primary,
        Some("standby") => SessionAttrs::Standby,
        Some("prefer-standby") => SessionAttrs::PreferStandby,
        Some(v) => {
            return Err(bad_value(
                "target_session_attrs",
                format!(
                "'{v}' (expected any, read-write, read-only, primary, standby or prefer-standby)"
            ),
            ))
        }
    };
    params.load_balance = match get("load_balance_hosts").as_deref() {
        None | Some("disable") => false,
        Some("random") => true,
        Some(v) => {
            return Err(bad_value(
                "load_balance_hosts",
                format!("'{v}' (expected disable or random)"),
            ))
        }
    };
    if let Some(t) = get("connect_timeout") {
        params.connect_timeout = Some(parse_seconds("connect_timeout", &t)?);
    }
    resolve_session(&mut params, &get, env)?;
    // The password file, per host, when no password was given.
    if params.password.is_none() {
        let file = get("passfile")
            .map(PathBuf::from)
            .or_else(|| env.var("HOME").map(|h| Path::new(&h).join(".pgpass")));
        if let Some(file) = file {
            for h in &mut params.hosts {
                let name = if h.is_unix_socket() {
                    "localhost".to_string()
                } else {
                    h.host.clone()
                };
                h.passfile_password =
                    pgpass::lookup(&file, &name, h.port, &params.dbname, &params.user).map(Secret);
            }
        }
    }
    Ok(params)
}

/// The host list: `host`, `hostaddr` and `port` may each list several, as libpq allows
/// (one port for all hosts, or one per host).
fn resolve_hosts(
    host: Option<String>,
    hostaddr: Option<String>,
    port: Option<String>,
) -> Result<Vec<HostSpec>, ConnectError> {
    let split = |v: &Option<String>| -> Vec<String> {
        v.as_deref()
            .map(|s| s.split(',').map(|p| p.trim().to_string()).collect())
            .unwrap_or_default()
    };
    let (names, addrs, ports) = (split(&host), split(&hostaddr), split(&port));
    if !names.is_empty() && !addrs.is_empty() && names.len() != addrs.len() {
        return Err(bad_value(
            "hostaddr",
            format!(
                "{} host names but {} hostaddr values",
                names.len(),
                addrs.len()
            ),
        ));
    }
    let count = names.len().max(addrs.len()).max(1);
    if ports.len() > 1 && ports.len() != count {
        return Err(bad_value(
            "port",
            format!("{} ports for {count} hosts", ports.len()),
        ));
    }
    let default_host = || {
        if Path::new("/var/run/postgresql").is_dir() {
            "/var/run/postgresql".to_string()
        } else {
            "localhost".to_string()
        }
    };
    (0..count)
        .map(|i| {
            let addr =
                match addrs.get(i).filter(|a| !a.is_empty()) {
                    Some(a) => Some(a.parse::<IpAddr>().map_err(|_| {
                        bad_value("hostaddr", format!("'{a}' is not an IP address"))
                    })?),
                    None => None,
                };
            let name = names.get(i).filter(|n| !n.is_empty()).cloned();
            let host = match (name, addr) {
                (Some(n), _) => n,
                (None, Some(a)) => a.to_string(),
                (None, None) => default_host(),
            };
            let port_text = ports
                .get(if ports.len() == 1 { 0 } else { i })
                .filter(|p| !p.is_empty());
            let port = match port_text {
                Some(p) => p
                    .parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| ConnectError::BadUrl(format!("invalid port '{p}'")))?,
                None => 5432,
            };
            Ok(HostSpec {
                host,
                hostaddr: addr,
                port,
                passfile_password: None,
            })
        })
        .collect()
}

fn resolve_tls(
    params: &mut ConnParams,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ConnectError> {
    let tls = &mut params.tls;
    tls.rootcert = get("sslrootcert").map(PathBuf::from);
    tls.cert = get("sslcert").map(PathBuf::from);
    tls.key = get("sslkey").map(PathBuf::from);
    if tls.rootcert.as_deref() == Some(Path::new("system")) && params.sslmode != SslMode::VerifyFull
    {
        return Err(bad_value(
            "sslrootcert",
            "system needs sslmode=verify-full (as in libpq)",
        ));
    }
    tls.send_client_cert = match get("sslcertmode").as_deref() {
        None | Some("allow") => true,
        Some("disable") => false,
        Some("require") => {
            return Err(ConnectError::Unsupported {
                name: "sslcertmode=require".into(),
                reason: "use allow (the default): the certificate is sent when the server asks",
            })
        }
        Some(v) => {
            return Err(bad_value(
                "sslcertmode",
                format!("'{v}' (expected disable or allow)"),
            ))
        }
    };
    if let Some(v) = get("sslsni") {
        tls.sni = parse_bool("sslsni", &v)?;
    }
    if let Some(v) = get("sslcompression") {
        if parse_bool("sslcompression", &v)? {
            return Err(ConnectError::Unsupported {
                name: "sslcompression=1".into(),
                reason: "TLS compression is not supported (it is insecure, and off in every current TLS library)",
            });
        }
    }
    tls.direct = match get("sslnegotiation").as_deref() {
        None | Some("postgres") => false,
        Some("direct") => {
            if matches!(
                params.sslmode,
                SslMode::Disable | SslMode::Allow | SslMode::Prefer
            ) {
                return Err(bad_value(
                    "sslnegotiation",
                    "direct needs sslmode require, verify-ca or verify-full (as in libpq)",
                ));
            }
            true
        }
        Some(v) => {
            return Err(bad_value(
                "sslnegotiation",
                format!("'{v}' (expected postgres or direct)"),
            ))
        }
    };
    let version = |name: &str, bound_is_max: bool| -> Result<Option<TlsVersion>, ConnectError> {
        Ok(match get(name).as_deref() {
            None | Some("") => None,
            Some("TLSv1") | Some("TLSv1.1") if !bound_is_max => Some(TlsVersion::V1_2),
            Some("TLSv1.2") => Some(TlsVersion::V1_2),
            Some("TLSv1.3") => Some(TlsVersion::V1_3),
            Some(v @ ("TLSv1" | "TLSv1.1")) => {
                return Err(ConnectError::Unsupported {
                    name: format!("{name}={v}"),
                    reason: "TLS before 1.2 is not supported",
                })
            }
            Some(v) => {
                return Err(bad_value(
                    name,
                    format!("'{v}' (expected TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3)"),
                ))
            }
        })
    };
    if let Some(v) = version("ssl_min_protocol_version", false)? {
        tls.min_version = v;
    }
    if let Some(v) = version("ssl_max_protocol_version", true)? {
        tls.max_version = v;
    }
    if tls.min_version > tls.max_version {
        return Err(bad_value(
            "ssl_min_protocol_version",
            "is above ssl_max_protocol_version",
        ));
    }
    Ok(())
}

/// Session parameters: application name, options, encoding, keepalives, GSSAPI and
/// protocol version settings (accepted only where they change nothing strata cannot do).
fn resolve_session(
    params: &mut ConnParams,
    get: &dyn Fn(&str) -> Option<String>,
    env: &dyn Env,
) -> Result<(), ConnectError> {
    params.application_name = get("application_name");
    let mut options = get("options").unwrap_or_default();
    for (var, setting) in parse::SETTING_VARIABLES {
        if let Some(v) = env.var(var) {
            let escaped = v.replace('\\', "\\\\").replace(' ', "\\ ");
            options = format!("{options} -c {setting}={escaped}")
                .trim()
                .to_string();
        }
    }
    params.options = (!options.is_empty()).then_some(options);
    if let Some(e) = get("client_encoding") {
        if !matches!(
            e.to_ascii_lowercase().as_str(),
            "utf8" | "utf-8" | "unicode" | "auto"
        ) {
            return Err(ConnectError::Unsupported {
                name: format!("client_encoding={e}"),
                reason: "strata always talks UTF8 with the server",
            });
        }
    }
    let tcp = &mut params.tcp;
    if let Some(v) = get("keepalives") {
        tcp.keepalives_off = !parse_bool("keepalives", &v)?;
    }
    if let Some(v) = get("keepalives_idle") {
        tcp.keepalives_idle = Some(parse_seconds("keepalives_idle", &v)?);
    }
    if let Some(v) = get("keepalives_interval") {
        tcp.keepalives_interval = Some(parse_seconds("keepalives_interval", &v)?);
    }
    if let Some(v) = get("keepalives_count") {
        tcp.keepalives_count =
            Some(v.trim().parse().map_err(|_| {
                bad_value("keepalives_count", format!("'{v}' is not a whole number"))
            })?);
    }
    if let Some(v) = get("tcp_user_timeout") {
        tcp.user_timeout = Some(Duration::from_millis(v.trim().parse().map_err(|_| {
            bad_value(
                "tcp_user_timeout",
                format!("'{v}' is not a whole number of milliseconds"),
            )
        })?));
    }
    match get("gssencmode").as_deref() {
        // Without GSSAPI, libpq treats prefer as disable.
        None | Some("disable") | Some("prefer") => {}
        Some("require") => {
            return Err(ConnectError::Unsupported {
                name: "gssencmode=require".into(),
                reason: "GSSAPI encryption is not supported; use TLS (sslmode)",
            })
        }
        Some(v) => {
            return Err(bad_value(
                "gssencmode",
                format!("'{v}' (expected disable, prefer or require)"),
            ))
        }
    }
    if let Some(v) = get("gssdelegation") {
        if parse_bool("gssdelegation", &v)? {
            return Err(ConnectError::Unsupported {
                name: "gssdelegation=1".into(),
                reason: "GSSAPI is not supported",
            });
        }
    }
    for (name, allowed) in [
        ("min_protocol_version", ["3.0", "3.0"]),
        ("max_protocol_version", ["3.0", "latest"]),
    ] {
        if let Some(v) = get(name) {
            if !allowed.contains(&v.as_str()) {
                return Err(ConnectError::Unsupported {
                    name: format!("{name}={v}"),
                    reason: "strata speaks protocol version 3.0",
                });
            }
        }
    }
    Ok(())
}
