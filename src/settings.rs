//! Settings resolved once from what the user typed (CLI flags), the environment and the
//! project's `schema.toml`: which project, which database, which timeouts, how to print.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;

use crate::conn::{self, ConnParams, ProcessEnv};
use crate::local::Cluster;
use crate::ops::{Session, Timeouts};
use crate::project::{parse_duration, Project};

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// What the user typed that applies to every command.
#[derive(Debug, Clone, Default)]
pub struct GlobalInput {
    pub project: Option<PathBuf>,
    pub database_url: Option<String>,
    pub lock_timeout: Option<String>,
    pub json: bool,
    pub color: ColorChoice,
    /// The command, when it connects to the configured database first thing (apply,
    /// rollback, status): the connection is then opened while the project loads.
    pub early_connect: Option<&'static str>,
}

type EarlyConnection = (
    String,
    tokio::task::JoinHandle<Result<tokio_postgres::Client, conn::ConnectError>>,
);

/// Where the database is.
#[derive(Debug, Clone)]
pub enum DatabaseTarget {
    /// Given by `--database-url`, `DATABASE_URL` or the `PG*` variables.
    Configured(Box<ConnParams>),
    /// Nothing configured: the project's local cluster.
    Local(Cluster),
}

/// How results are printed.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
    pub color: bool,
    /// stderr is a terminal (progress bars).
    pub progress_tty: bool,
    /// stdin is a terminal (confirmation prompts).
    pub interactive: bool,
}

/// Everything a command needs, resolved.
#[derive(Debug)]
pub struct Settings {
    pub project: Project,
    pub target: DatabaseTarget,
    pub output: Output,
    pub lock_timeout: Duration,
    /// A connection opened while the project loaded (application name, task).
    early: std::sync::Mutex<Option<EarlyConnection>>,
}

impl Output {
    pub fn detect(json: bool, color: ColorChoice) -> Output {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        Output {
            json,
            color,
            progress_tty: std::io::stderr().is_terminal()
                && std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false"),
            interactive: std::io::stdin().is_terminal(),
        }
    }
}

impl Settings {
    /// Resolves settings: project from `--project`/`STRATA_PROJECT` or the embedded one,
    /// database from `--database-url`/`DATABASE_URL`, the `PG*` variables, or the local
    /// cluster.
    pub fn resolve(input: &GlobalInput) -> anyhow::Result<Settings> {
        let env = ProcessEnv;
        let configured = match input.database_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => Some(conn::resolve(Some(url), &env)?),
            None if conn::env_configures_connection(&env) => Some(conn::resolve(None, &env)?),
            None => None,
        };
        // Connecting (a server process starting) and loading the project overlap.
        let early = match (&configured, input.early_connect) {
            (Some(params), Some(command)) if tokio::runtime::Handle::try_current().is_ok() => {
                let mut params = params.clone();
                let name = params
                    .application_name
                    .clone()
                    .unwrap_or_else(|| format!("strata {command}"));
                params.application_name = Some(name.clone());
                Some((name, tokio::spawn(async move { params.connect().await })))
            }
            _ => None,
        };
        let project = Project::load(input.project.as_deref())?;
        let target = match configured {
            Some(params) => DatabaseTarget::Configured(Box::new(params)),
            None => DatabaseTarget::Local(Cluster::for_project(
                project.dir(),
                &project.config.project.name,
            )),
        };
        let lock_timeout = match &input.lock_timeout {
            Some(text) => {
                parse_duration(text).map_err(|e| anyhow::anyhow!("--lock-timeout: {e}"))?
            }
            None => project.config.settings.lock_timeout,
        };
        Ok(Settings {
            project,
            target,
            output: Output::detect(input.json, input.color),
            lock_timeout,
            early: std::sync::Mutex::new(early),
        })
    }

    /// Connection parameters of the target (the local cluster's when none is configured).
    pub fn params(&self) -> ConnParams {
        match &self.target {
            DatabaseTarget::Configured(p) => p.as_ref().clone(),
            DatabaseTarget::Local(cluster) => cluster.params(&self.local_dbname()),
        }
    }

    /// The database name used on the local cluster.
    pub fn local_dbname(&self) -> String {
        self.project.config.project.name.clone()
    }

    /// Connects for `command` (shown as `application_name`), starting the local database
    /// first when it is the target.
    pub async fn connect(&self, command: &str) -> anyhow::Result<Session<'_>> {
        let mut params = self.params();
        if let DatabaseTarget::Local(cluster) = &self.target {
            if cluster.start().context("starting the local database")? {
                eprintln!(
                    "strata: no database configured (--database-url, DATABASE_URL or PG* variables); started the local database in {}",
                    cluster.root.display()
                );
            }
            let db = self.local_dbname();
            if cluster.ensure_database(&db).await? {
                eprintln!("strata: created database '{db}' on the local server");
            }
        }
        if params.application_name.is_none() {
            params.application_name = Some(format!("strata {command}"));
        }
        let early = self.early.lock().ok().and_then(|mut e| e.take());
        let client = match early {
            Some((name, task)) if params.application_name.as_deref() == Some(name.as_str()) => {
                match task.await {
                    Ok(result) => result?,
                    Err(_) => params.connect().await?,
                }
            }
            _ => params.connect().await?,
        };
        Ok(Session::new(client, &self.project, params.redacted()))
    }

    /// Timeouts for writing commands: flags win over schema.toml.
    pub fn timeouts(
        &self,
        ddl_lock: Option<&str>,
        statement: Option<&str>,
    ) -> anyhow::Result<Timeouts> {
        let s = &self.project.config.settings;
        let parse = |flag: &str, v: Option<&str>, default: Duration| -> anyhow::Result<Duration> {
            match v {
                Some(text) => parse_duration(text).map_err(|e| anyhow::anyhow!("{flag}: {e}")),
                None => Ok(default),
            }
        };
        Ok(Timeouts {
            lock_wait: self.lock_timeout,
            ddl_lock: parse("--ddl-lock-timeout", ddl_lock, s.ddl_lock_timeout)?,
            statement: parse("--statement-timeout", statement, s.statement_timeout)?,
        })
    }
}
