//! Connecting: the hosts tried in order (or shuffled), TLS when the host and `sslmode` call
//! for it, `target_session_attrs` checked after connecting as libpq does, and the cancel
//! keys of open connections kept so a signal can cancel what they run.

use std::time::Duration;

use tokio_postgres::config::{ChannelBinding as PgChannelBinding, SslMode as PgSslMode};
use tokio_postgres::Client;

use super::{
    describe_pg_error, tls, ChannelBinding, ConnParams, ConnectError, HostSpec, SessionAttrs,
    SslMode,
};

impl ConnParams {
    fn uses_tls(&self, host: &HostSpec) -> bool {
        !host.is_unix_socket() && self.sslmode != SslMode::Disable
    }

    fn pg_config(&self, host: &HostSpec) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        if host.is_unix_socket() {
            config.host_path(&host.host);
        } else {
            config.host(&host.host);
            if let Some(addr) = host.hostaddr {
                config.hostaddr(addr);
            }
        }
        config.port(host.port).user(&self.user).dbname(&self.dbname);
        if let Some(p) = self
            .password
            .as_ref()
            .or(host.passfile_password.as_ref().map(|s| &s.0))
        {
            config.password(p);
        }
        config.ssl_mode(match (self.uses_tls(host), self.sslmode) {
            (false, _) => PgSslMode::Disable,
            (_, SslMode::Allow | SslMode::Prefer) => PgSslMode::Prefer,
            _ => PgSslMode::Require,
        });
        if self.tls.direct {
            config.ssl_negotiation(tokio_postgres::config::SslNegotiation::Direct);
        }
        config.channel_binding(match self.channel_binding {
            ChannelBinding::Disable => PgChannelBinding::Disable,
            ChannelBinding::Prefer => PgChannelBinding::Prefer,
            ChannelBinding::Require => PgChannelBinding::Require,
        });
        match self.connect_timeout {
            None => {
                config.connect_timeout(Duration::from_secs(10));
            }
            Some(t) if t.is_zero() => {}
            // libpq waits at least 2 seconds.
            Some(t) => {
                config.connect_timeout(t.max(Duration::from_secs(2)));
            }
        }
        let tcp = &self.tcp;
        config.keepalives(!tcp.keepalives_off);
        if let Some(d) = tcp.keepalives_idle {
            config.keepalives_idle(d);
        }
        if let Some(d) = tcp.keepalives_interval {
            config.keepalives_interval(d);
        }
        if let Some(n) = tcp.keepalives_count {
            config.keepalives_retries(n);
        }
        if let Some(d) = tcp.user_timeout {
            config.tcp_user_timeout(d);
        }
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
        let (client, host) = self.connect_unregistered().await?;
        if let Ok(mut list) = RUNNING.lock() {
            let mut params = self.clone();
            params.hosts = vec![host];
            list.push((client.cancel_token(), params));
        }
        Ok(client)
    }

    /// Tries the hosts in order (or shuffled with `load_balance_hosts=random`) until one
    /// connects and is what `target_session_attrs` asks for; `prefer-standby` makes a
    /// second pass accepting any server.
    async fn connect_unregistered(&self) -> Result<(Client, HostSpec), ConnectError> {
        let mut order: Vec<&HostSpec> = self.hosts.iter().collect();
        if self.load_balance {
            use rand::seq::SliceRandom;
            order.shuffle(&mut rand::rng());
        }
        let passes = match self.target_session_attrs {
            SessionAttrs::PreferStandby => vec![SessionAttrs::Standby, SessionAttrs::Any],
            other => vec![other],
        };
        let mut failures: Vec<String> = Vec::new();
        for want in passes {
            for host in &order {
                match self.connect_host(host, want).await {
                    Ok(client) => return Ok((client, (*host).clone())),
                    Err(message) if self.hosts.len() == 1 => failures.push(message),
                    Err(message) => failures.push(format!("{}: {message}", host.label())),
                }
            }
        }
        Err(ConnectError::Failed {
            target: self.redacted(),
            message: failures.join("; "),
        })
    }

    async fn connect_host(&self, host: &HostSpec, want: SessionAttrs) -> Result<Client, String> {
        let config = self.pg_config(host);
        let client = if self.uses_tls(host) {
            let tls = tokio_postgres_rustls::MakeRustlsConnect::new(
                tls::client_config(self).map_err(|e| e.to_string())?,
            );
            let (client, connection) = config
                .connect(tls)
                .await
                .map_err(|e| describe_pg_error(&e))?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            client
        } else {
            let (client, connection) = config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(|e| describe_pg_error(&e))?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            client
        };
        if want == SessionAttrs::Any {
            return Ok(client);
        }
        // What libpq asks after connecting: one round trip.
        let rows = client
            .simple_query(
                "SELECT pg_catalog.pg_is_in_recovery()::text, pg_catalog.current_setting('transaction_read_only')",
            )
            .await
            .map_err(|e| describe_pg_error(&e))?;
        let (standby, read_only) = rows
            .iter()
            .find_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => {
                    Some((r.get(0) == Some("true"), r.get(1) == Some("on")))
                }
                _ => None,
            })
            .unwrap_or((false, false));
        let fits = match want {
            SessionAttrs::ReadWrite => !read_only,
            SessionAttrs::ReadOnly => read_only,
            SessionAttrs::Primary => !standby,
            SessionAttrs::Standby => standby,
            SessionAttrs::Any | SessionAttrs::PreferStandby => true,
        };
        if fits {
            Ok(client)
        } else {
            Err(format!(
                "server is {} (target_session_attrs={})",
                match (standby, read_only) {
                    (true, _) => "a standby, read-only",
                    (false, true) => "a primary in read-only mode",
                    (false, false) => "a read-write primary",
                },
                self.target_session_attrs.as_str()
            ))
        }
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
        let tls_host = params.first_host().is_some_and(|h| params.uses_tls(h));
        let result = if !tls_host {
            token.cancel_query(tokio_postgres::NoTls).await
        } else {
            match tls::client_config(&params) {
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
