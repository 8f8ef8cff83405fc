//! Parsing a `postgres://` URL or a libpq `key=value` string into the parameters it gives,
//! and the table of every libpq parameter: each is supported or refused by name, none is
//! ignored. Errors never repeat text that may be part of a password.

use percent_encoding::percent_decode_str;

use super::ConnectError;

/// What strata does with a libpq parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Used.
    Yes,
    /// Refused with this reason.
    No(&'static str),
}

/// Every libpq connection parameter strata knows: name, environment variable, support.
pub const PARAMETERS: &[(&str, Option<&str>, Support)] = &[
    ("host", Some("PGHOST"), Support::Yes),
    ("hostaddr", Some("PGHOSTADDR"), Support::Yes),
    ("port", Some("PGPORT"), Support::Yes),
    ("dbname", Some("PGDATABASE"), Support::Yes),
    ("user", Some("PGUSER"), Support::Yes),
    ("password", Some("PGPASSWORD"), Support::Yes),
    ("passfile", Some("PGPASSFILE"), Support::Yes),
    ("channel_binding", Some("PGCHANNELBINDING"), Support::Yes),
    ("connect_timeout", Some("PGCONNECT_TIMEOUT"), Support::Yes),
    ("client_encoding", Some("PGCLIENTENCODING"), Support::Yes),
    ("options", Some("PGOPTIONS"), Support::Yes),
    ("application_name", Some("PGAPPNAME"), Support::Yes),
    ("fallback_application_name", None, Support::Yes),
    ("keepalives", None, Support::Yes),
    ("keepalives_idle", None, Support::Yes),
    ("keepalives_interval", None, Support::Yes),
    ("keepalives_count", None, Support::Yes),
    ("tcp_user_timeout", None, Support::Yes),
    ("sslmode", Some("PGSSLMODE"), Support::Yes),
    ("requiressl", Some("PGREQUIRESSL"), Support::Yes),
    ("sslnegotiation", Some("PGSSLNEGOTIATION"), Support::Yes),
    ("sslcompression", Some("PGSSLCOMPRESSION"), Support::Yes),
    ("sslcert", Some("PGSSLCERT"), Support::Yes),
    ("sslkey", Some("PGSSLKEY"), Support::Yes),
    ("sslcertmode", Some("PGSSLCERTMODE"), Support::Yes),
    ("sslrootcert", Some("PGSSLROOTCERT"), Support::Yes),
    ("sslsni", Some("PGSSLSNI"), Support::Yes),
    (
        "ssl_min_protocol_version",
        Some("PGSSLMINPROTOCOLVERSION"),
        Support::Yes,
    ),
    (
        "ssl_max_protocol_version",
        Some("PGSSLMAXPROTOCOLVERSION"),
        Support::Yes,
    ),
    ("gssencmode", Some("PGGSSENCMODE"), Support::Yes),
    ("gssdelegation", Some("PGGSSDELEGATION"), Support::Yes),
    (
        "target_session_attrs",
        Some("PGTARGETSESSIONATTRS"),
        Support::Yes,
    ),
    ("load_balance_hosts", Some("PGLOADBALANCEHOSTS"), Support::Yes),
    ("min_protocol_version", Some("PGMINPROTOCOLVERSION"), Support::Yes),
    ("max_protocol_version", Some("PGMAXPROTOCOLVERSION"), Support::Yes),
    (
        "sslpassword",
        None,
        Support::No("encrypted client keys are not supported: give sslkey an unencrypted key file (mode 0600)"),
    ),
    (
        "sslcrl",
        Some("PGSSLCRL"),
        Support::No("certificate revocation lists are not supported"),
    ),
    (
        "sslcrldir",
        Some("PGSSLCRLDIR"),
        Support::No("certificate revocation lists are not supported"),
    ),
    (
        "requirepeer",
        Some("PGREQUIREPEER"),
        Support::No("checking the server's OS user over a Unix socket is not supported"),
    ),
    (
        "require_auth",
        Some("PGREQUIREAUTH"),
        Support::No("restricting authentication methods is not supported; channel_binding=require insists on SCRAM-SHA-256-PLUS"),
    ),
    (
        "krbsrvname",
        Some("PGKRBSRVNAME"),
        Support::No("Kerberos/GSSAPI authentication is not supported"),
    ),
    (
        "gsslib",
        Some("PGGSSLIB"),
        Support::No("Kerberos/GSSAPI authentication is not supported"),
    ),
    (
        "service",
        Some("PGSERVICE"),
        Support::No("connection service files are not supported: give the parameters in the URL"),
    ),
    (
        "replication",
        None,
        Support::No("replication connections are not supported"),
    ),
    (
        "oauth_issuer",
        None,
        Support::No("OAuth authentication is not supported"),
    ),
    (
        "oauth_client_id",
        None,
        Support::No("OAuth authentication is not supported"),
    ),
    (
        "oauth_client_secret",
        None,
        Support::No("OAuth authentication is not supported"),
    ),
    (
        "oauth_scope",
        None,
        Support::No("OAuth authentication is not supported"),
    ),
    (
        "scram_client_key",
        None,
        Support::No("SCRAM keys in place of a password are not supported"),
    ),
    (
        "scram_server_key",
        None,
        Support::No("SCRAM keys in place of a password are not supported"),
    ),
];

/// The environment variables libpq sends as session settings, and the setting each sets.
pub const SETTING_VARIABLES: &[(&str, &str)] = &[
    ("PGDATESTYLE", "DateStyle"),
    ("PGTZ", "TimeZone"),
    ("PGGEQO", "geqo"),
];

/// The parameters a connection string or URL gave explicitly, in order.
#[derive(Debug, Default, Clone)]
pub struct Given {
    pub pairs: Vec<(String, String)>,
}

impl Given {
    /// The value given for `key` (the last one wins, as in libpq).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn set(&mut self, key: &str, value: String, may_be_secret: bool) -> Result<(), ConnectError> {
        let name = match key {
            "fallback_application_name" if self.get("application_name").is_some() => return Ok(()),
            "fallback_application_name" => "application_name",
            other => other,
        };
        match PARAMETERS.iter().find(|(p, _, _)| *p == name) {
            Some((_, _, Support::Yes)) => {
                self.pairs.push((name.to_string(), value));
                Ok(())
            }
            Some((_, _, Support::No(reason))) => Err(ConnectError::Unsupported {
                name: name.to_string(),
                reason,
            }),
            None if may_be_secret => Err(ConnectError::BadUrl(
                "unknown connection parameter after the password (a password with spaces must be quoted: password='…')".into(),
            )),
            None => Err(ConnectError::BadUrl(format!(
                "unknown connection parameter '{name}'"
            ))),
        }
    }
}

/// Parses a `postgres://` URL or a `key=value` connection string.
pub fn parse_conninfo(text: &str) -> Result<Given, ConnectError> {
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

/// The hint for a URL whose password holds a character that ends the part it is in.
const ENCODE_HINT: &str =
    "percent-encode '/', '?', '#', '@' and '%' in the user name and password (%2F %3F %23 %40 %25)";

fn parse_url(rest: &str) -> Result<Given, ConnectError> {
    let mut given = Given::default();
    let has_at = rest.contains('@');
    // The authority ends at the first '/' or '?'.
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let after = &rest[end..];
    if has_at && !authority.contains('@') && !at_only_in_query_values(rest) {
        // The '@' is after a '/' or '?': the password (or user name) holds one of them.
        return Err(ConnectError::BadUrl(format!(
            "the URL has '@' after its host part: {ENCODE_HINT}"
        )));
    }
    let (path, query) = match after.strip_prefix('/') {
        Some(p) => match p.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (p, None),
        },
        None => ("", after.strip_prefix('?')),
    };
    // user:password@hosts — split at the last '@' (an unencoded '@' in the password works).
    let (userinfo, hostlist) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let secret = userinfo.is_some_and(|u| u.contains(':'));
    if let Some(userinfo) = userinfo {
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        if !user.is_empty() {
            given.pairs.push(("user".into(), decode(user)?));
        }
        if let Some(p) = password {
            given.pairs.push(("password".into(), decode(p)?));
        }
    }
    if !hostlist.is_empty() {
        let mut hosts = Vec::new();
        let mut ports = Vec::new();
        for item in hostlist.split(',') {
            let (host, port) = if let Some(stripped) = item.strip_prefix('[') {
                let close = stripped
                    .find(']')
                    .ok_or_else(|| ConnectError::BadUrl("unterminated [IPv6 address]".into()))?;
                (
                    stripped[..close].to_string(),
                    stripped[close + 1..]
                        .strip_prefix(':')
                        .unwrap_or("")
                        .to_string(),
                )
            } else {
                match item.rsplit_once(':') {
                    Some((h, p)) => (decode(h)?, p.to_string()),
                    None => (decode(item)?, String::new()),
                }
            };
            if !port.is_empty() && !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ConnectError::BadUrl(if has_at || secret {
                    format!("invalid port in the URL (if the password holds ':' or another special character: {ENCODE_HINT})")
                } else {
                    format!("invalid port '{port}'")
                }));
            }
            hosts.push(host);
            ports.push(port);
        }
        if hosts.iter().any(|h| !h.is_empty()) {
            given.pairs.push(("host".into(), hosts.join(",")));
        }
        if ports.iter().any(|p| !p.is_empty()) {
            given.pairs.push(("port".into(), ports.join(",")));
        }
    }
    if !path.is_empty() {
        given.pairs.push(("dbname".into(), decode(path)?));
    }
    if let Some(query) = query {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(ConnectError::BadUrl(if has_at {
                    format!("a query parameter has no value (if the password holds '?' or '&': {ENCODE_HINT})")
                } else {
                    format!("query parameter '{pair}' has no value")
                }));
            };
            given.set(&decode(k)?, decode(v)?, false)?;
        }
    }
    Ok(given)
}

/// True when every '@' of the URL is inside a query parameter's value (`?user=a@b`).
fn at_only_in_query_values(rest: &str) -> bool {
    let Some(q) = rest.find('?') else {
        return false;
    };
    rest.match_indices('@').all(|(at, _)| {
        at > q && {
            let start = rest[..at].rfind(['&', '?']).map_or(0, |i| i + 1);
            rest[start..at].contains('=')
        }
    })
}

fn parse_key_values(text: &str) -> Result<Given, ConnectError> {
    let mut given = Given::default();
    let mut chars = text.chars().peekable();
    // True right after an unquoted password value: the next word may be the rest of it.
    let mut after_bare_password = false;
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
            let known = PARAMETERS.iter().any(|(p, _, _)| *p == key);
            return Err(ConnectError::BadUrl(if known && !after_bare_password {
                format!("missing '=' after '{key}'")
            } else {
                "a word without '=' in the connection string (a password with spaces must be quoted: password='…')".into()
            }));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        let quoted = chars.peek() == Some(&'\'');
        if quoted {
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
        let secret = after_bare_password;
        after_bare_password = key == "password" && !quoted;
        given.set(&key, value, secret)?;
    }
    Ok(given)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_signs_in_query_values_are_fine() {
        let g = parse_conninfo("postgres:///db?host=/tmp&user=a@b").unwrap();
        assert_eq!(g.get("user"), Some("a@b"));
    }

    #[test]
    fn several_hosts_in_a_url() {
        let g = parse_conninfo("postgres://u@h1:5433,[::1]:5434,h3/db").unwrap();
        assert_eq!(g.get("host"), Some("h1,::1,h3"));
        assert_eq!(g.get("port"), Some("5433,5434,"));
    }

    #[test]
    fn every_parameter_is_used_or_refused_by_name() {
        for (text, expected) in [
            (
                "postgres://h/db?sslcrl=x",
                "sslcrl is not supported: certificate revocation lists",
            ),
            ("postgres://h/db?service=x", "service is not supported"),
            ("host=h krbsrvname=x", "krbsrvname is not supported"),
            (
                "postgres://h/db?frobnicate=1",
                "unknown connection parameter 'frobnicate'",
            ),
        ] {
            let e = parse_conninfo(text).unwrap_err().to_string();
            assert!(e.contains(expected), "{text}: {e}");
        }
        for (name, _, support) in PARAMETERS {
            if *support == Support::Yes {
                assert!(
                    parse_conninfo(&format!("{name}=x")).is_ok(),
                    "{name} is accepted by the parser"
                );
            }
        }
    }

    #[test]
    fn malformed_urls_never_repeat_the_password() {
        for password in [
            "Hunter2/TopSecret",
            "Hunter2?TopSecret",
            "Hunter2#Top:Secret",
        ] {
            let url = format!("postgres://app:{password}@db.example:5432/prod");
            if let Err(e) = parse_conninfo(&url) {
                let e = e.to_string();
                for fragment in ["Hunter2", "TopSecret", "Top", "Secret"] {
                    assert!(!e.contains(fragment), "{url}: {e}");
                }
            }
        }
        let e = parse_conninfo("host=h password=Hunter2 TopSecret dbname=x")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("TopSecret"), "{e}");
        let e = parse_conninfo("host=h password=Hunter2 Top=Secret")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("Top"), "{e}");
    }
}
