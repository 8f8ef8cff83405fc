//! Settings resolved once, in two stages (what the user typed, then what the program
//! needs): clap's arguments ([`crate::cli`]) + `schema.toml` + the environment become one
//! [`Settings`] value — the loaded project, the resolved [`Target`]s (the live database,
//! `--from`/`--to`, the servers for a scratch database, the local cluster), the
//! [`Timeouts`], how to print ([`Output`]) and whether to ask before destructive steps.

mod fleet;
mod output;
mod target;

use std::sync::{Mutex, OnceLock};

use anyhow::Context as _;
use tokio::task::JoinHandle;

pub use fleet::FleetSpec;
pub use output::Output;
pub use target::Target;

use crate::cli::{CommandFlags, GlobalArgs, Purpose, ShadowArgs, TimeoutArgs};

use crate::conn::{self, ConnectError, ProcessEnv};
use crate::local::Cluster;
use crate::ops::lockwait::RetryPolicy;
use crate::ops::shadow::Candidate;
use crate::ops::{Progress, Session, Timeouts};
use crate::project::{parse_duration, Project};

/// A connection to the live database opened while the project loads.
type EarlyConnection = JoinHandle<Result<tokio_postgres::Client, ConnectError>>;

/// Everything a command needs, resolved.
#[derive(Debug)]
pub struct Settings {
    pub project: Project,
    /// What the command is for (its connections' `application_name`).
    pub purpose: Purpose,
    /// The database the command works on: configured, or the local database.
    pub live: Target,
    /// `diff --from A --to B`: the two databases compared.
    pub compare: Option<(Target, Target)>,
    /// Servers to try for a scratch database, in order.
    pub scratch_servers: Vec<Candidate>,
    /// The project's local cluster (used when no database is configured, and as the last
    /// server for a scratch database): found once, when first needed ([`Settings::local`]).
    local: OnceLock<Cluster>,
    pub timeouts: Timeouts,
    pub output: Output,
    /// `--yes`: destructive steps go on without asking.
    pub yes: bool,
    /// `generate --from-url` (the database holding the desired schema) or
    /// `init --from-database` (the database adopted).
    pub desired: Option<Target>,
    /// `--targets`, `--targets-query` or `--schemas`: the command runs on a fleet.
    pub fleet: Option<FleetSpec>,
    early: Mutex<Option<EarlyConnection>>,
}

impl Settings {
    /// Resolves settings: project from `--project`/`STRATA_PROJECT` or the embedded one,
    /// the live database from `--database-url`/`DATABASE_URL`, the `PG*` variables, or the
    /// local cluster; timeouts from the flags, else `schema.toml`.
    pub fn resolve(global: &GlobalArgs, command: CommandFlags<'_>) -> anyhow::Result<Settings> {
        let env = ProcessEnv;
        let configured = match global.database_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => Some(conn::resolve(Some(url), &env)?),
            None if conn::env_configures_connection(&env) => Some(conn::resolve(None, &env)?),
            None => None,
        };
        let fleet = match command.fleet {
            Some(args) => FleetSpec::resolve(args)?,
            None => None,
        };
        // Connecting (a server process starting) and loading the project overlap.
        let early = match &configured {
            Some(params)
                if command.purpose.connects_first()
                    && fleet.is_none()
                    && tokio::runtime::Handle::try_current().is_ok() =>
            {
                let params = Target::configured(params.clone()).params_for(command.purpose);
                Some(tokio::spawn(async move { params.connect().await }))
            }
            _ => None,
        };
        // status and a no-op apply need only checksums: scripts that match the checksum
        // cache are not read (apply reads them all when it has something to run).
        let checksums_only = command.purpose == Purpose::Status
            || (command.purpose == Purpose::Apply && fleet.is_none());
        let project = if checksums_only {
            Project::load_cached(global.project.as_deref())?
        } else {
            Project::load(global.project.as_deref())?
        };
        let name = &project.config.project.name;
        // Finding the cluster's folder costs a few system calls: only when it is used.
        let local = OnceLock::new();
        let cluster = || local.get_or_init(|| Cluster::for_project(project.dir(), name));
        let live = match configured {
            Some(params) => Target::configured(params),
            None => Target::local(cluster(), name),
        };
        let timeouts = timeouts(
            &project,
            global,
            command.timeouts.cloned().unwrap_or_default(),
        )?;
        let compare = match command.compare {
            Some((from, to)) => Some((resolve_flag("from", from)?, resolve_flag("to", to)?)),
            None => None,
        };
        let desired = match command.desired_url {
            Some(url) => Some(resolve_flag(
                if command.purpose == Purpose::Init {
                    "from-database"
                } else {
                    "from-url"
                },
                url,
            )?),
            None => None,
        };
        let scratch_servers = match command.shadow {
            // init --from-database: the source's server first.
            Some(shadow) if command.purpose == Purpose::Init => match &desired {
                Some(source) => scratch_servers(source, cluster(), shadow)?,
                None => scratch_servers(&live, cluster(), shadow)?,
            },
            Some(shadow) => scratch_servers(&live, cluster(), shadow)?,
            None => Vec::new(),
        };
        Ok(Settings {
            project,
            purpose: command.purpose,
            live,
            compare,
            scratch_servers,
            local,
            timeouts,
            output: Output::detect(global.json, global.color),
            yes: command.confirm.is_some_and(|c| c.yes),
            desired,
            fleet,
            early: Mutex::new(early),
        })
    }

    /// The project's local cluster.
    pub fn local(&self) -> &Cluster {
        self.local.get_or_init(|| {
            Cluster::for_project(self.project.dir(), &self.project.config.project.name)
        })
    }

    /// Connects to the live database for this command (starting the local database first
    /// when it is the target), using the connection opened early when there is one.
    pub async fn session(&self, progress: &mut dyn Progress) -> anyhow::Result<Session<'_>> {
        let early = self.early.lock().ok().and_then(|mut e| e.take());
        let (client, params) = match early {
            Some(task) => {
                let params = self.live.params_for(self.purpose);
                let client = match task.await {
                    Ok(result) => result?,
                    Err(_) => params.connect().await?,
                };
                (client, params)
            }
            None => self.live.connect(self.purpose, progress).await?,
        };
        Ok(Session::new(client, &self.project, params))
    }
}

/// `--ddl-lock-timeout`, `--statement-timeout` and `--lock-timeout` win over schema.toml.
fn timeouts(
    project: &Project,
    global: &GlobalArgs,
    flags: TimeoutArgs,
) -> anyhow::Result<Timeouts> {
    let s = &project.config.settings;
    let parse = |flag: &str, text: Option<&str>, default| match text {
        Some(text) => parse_duration(text).map_err(|e| anyhow::anyhow!("--{flag}: {e}")),
        None => Ok(default),
    };
    Ok(Timeouts {
        lock_wait: parse(
            "lock-timeout",
            global.lock_timeout.as_deref(),
            s.lock_timeout,
        )?,
        ddl_lock: parse(
            "ddl-lock-timeout",
            flags.ddl_lock_timeout.as_deref(),
            s.ddl_lock_timeout,
        )?,
        statement: parse(
            "statement-timeout",
            flags.statement_timeout.as_deref(),
            s.statement_timeout,
        )?,
        ddl_retry: RetryPolicy {
            retries: flags.ddl_lock_retries.unwrap_or(s.ddl_lock_retries),
            budget: parse(
                "ddl-lock-budget",
                flags.ddl_lock_budget.as_deref(),
                s.ddl_lock_budget,
            )?,
        },
    })
}

/// A database given by a flag (`--from URL`).
fn resolve_flag(flag: &str, url: &str) -> anyhow::Result<Target> {
    let params = conn::resolve(Some(url), &ProcessEnv).with_context(|| format!("--{flag}"))?;
    Ok(Target::configured(params))
}

/// Servers to try for the scratch database, in order: the live database's own, then
/// `--shadow-url`, then the local database's (when the live one is not it already).
fn scratch_servers(
    live: &Target,
    local: &Cluster,
    shadow: &ShadowArgs,
) -> anyhow::Result<Vec<Candidate>> {
    let mut list = vec![Candidate {
        // The local database itself may not exist yet: its server's `postgres` will.
        params: match &live.local {
            Some(cluster) => cluster.params("postgres"),
            None => live.params.clone(),
        },
        label: format!("the live database's server ({})", live.label()),
        local: live.local.clone(),
    }];
    if let Some(url) = shadow.shadow_url.as_deref().filter(|u| !u.is_empty()) {
        let params = conn::resolve(Some(url), &ProcessEnv).context("--shadow-url")?;
        list.push(Candidate {
            label: format!("--shadow-url ({})", params.redacted()),
            params,
            local: None,
        });
    }
    if live.local.is_none() {
        list.push(Candidate {
            params: local.params("postgres"),
            label: format!("the local database's server in {}", local.root.display()),
            local: Some(local.clone()),
        });
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::local::ClusterOptions;

    /// No environment: what a test resolves does not depend on the caller's `PG*`.
    fn no_env() -> std::collections::BTreeMap<String, String> {
        Default::default()
    }

    fn project(settings: &str) -> Project {
        let config = format!(
            "[project]\nname = \"t\"\n\n[[phases]]\nname = \"one\"\ndescription = \"\"\n\n[settings]\n{settings}"
        );
        Project::from_memory(vec![("schema.toml".into(), config.into_bytes())]).expect("loads")
    }

    #[test]
    fn ddl_lock_defaults_are_short_waits_retried_for_five_minutes() {
        let t = timeouts(&project(""), &GlobalArgs::default(), TimeoutArgs::default()).unwrap();
        assert_eq!(t.ddl_lock, Duration::from_secs(1));
        assert_eq!(
            t.ddl_retry,
            RetryPolicy {
                retries: 20,
                budget: Duration::from_secs(300)
            }
        );
        let p = project("ddl_lock_retries = 2\nddl_lock_budget = \"10s\"\n");
        let t = timeouts(&p, &GlobalArgs::default(), TimeoutArgs::default()).unwrap();
        assert_eq!(
            t.ddl_retry,
            RetryPolicy {
                retries: 2,
                budget: Duration::from_secs(10)
            }
        );
    }

    #[test]
    fn timeout_flags_win_over_schema_toml_and_name_themselves_when_bad() {
        let p = project("lock_timeout = \"5s\"\nddl_lock_timeout = \"3s\"\n");
        let global = GlobalArgs::default();
        let t = timeouts(&p, &global, TimeoutArgs::default()).unwrap();
        assert_eq!(
            (t.lock_wait, t.ddl_lock, t.statement),
            (
                Duration::from_secs(5),
                Duration::from_secs(3),
                Duration::ZERO
            )
        );
        let global = GlobalArgs {
            lock_timeout: Some("250ms".into()),
            ..GlobalArgs::default()
        };
        let flags = TimeoutArgs {
            ddl_lock_timeout: Some("0".into()),
            statement_timeout: Some("1min".into()),
            ddl_lock_retries: Some(3),
            ddl_lock_budget: Some("90s".into()),
        };
        let t = timeouts(&p, &global, flags).unwrap();
        assert_eq!(
            (t.lock_wait, t.ddl_lock, t.statement),
            (
                Duration::from_millis(250),
                Duration::ZERO,
                Duration::from_secs(60)
            )
        );
        assert_eq!(
            t.ddl_retry,
            RetryPolicy {
                retries: 3,
                budget: Duration::from_secs(90)
            }
        );
        let bad = TimeoutArgs {
            statement_timeout: Some("soon".into()),
            ..TimeoutArgs::default()
        };
        let e = timeouts(&p, &GlobalArgs::default(), bad).unwrap_err();
        assert!(e.to_string().starts_with("--statement-timeout: "), "{e}");
    }

    #[test]
    fn scratch_servers_are_the_live_server_then_the_shadow_url_then_the_local_one() {
        let local = Cluster::at("/tmp/strata-test-cluster", ClusterOptions::default());
        let shadow = ShadowArgs {
            shadow_url: Some("postgres://admin:s3cret@shadow:5433/postgres".into()),
        };
        let live =
            Target::configured(conn::resolve(Some("postgres://app@db/prod"), &no_env()).unwrap());
        let list = scratch_servers(&live, &local, &shadow).unwrap();
        let labels: Vec<&str> = list.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "the live database's server (postgres://app@db:5432/prod)",
                "--shadow-url (postgres://admin@shadow:5433/postgres)",
                "the local database's server in /tmp/strata-test-cluster",
            ]
        );
        assert!(list[2].local.is_some() && list[0].local.is_none());
        // The local database as the live one: its server, through its `postgres` database
        // (the project's may not exist yet), and no second local entry.
        let live = Target::local(&local, "t");
        let list = scratch_servers(&live, &local, &ShadowArgs::default()).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].params.dbname, "postgres");
        assert!(list[0].label.contains("/t?host="), "{}", list[0].label);
        let bad = ShadowArgs {
            shadow_url: Some("mysql://x".into()),
        };
        let e = scratch_servers(&live, &local, &bad).unwrap_err();
        assert!(format!("{e:#}").starts_with("--shadow-url: "), "{e:#}");
    }

    #[test]
    fn a_connection_is_named_after_its_command_unless_the_url_names_it() {
        let target =
            Target::configured(conn::resolve(Some("postgres://app@db/prod"), &no_env()).unwrap());
        let p = target.params_for(Purpose::Apply);
        assert_eq!(p.application_name.as_deref(), Some("strata apply"));
        let named = Target::configured(
            conn::resolve(
                Some("postgres://app@db/prod?application_name=deploy"),
                &no_env(),
            )
            .unwrap(),
        );
        assert_eq!(
            named
                .params_for(Purpose::Status)
                .application_name
                .as_deref(),
            Some("deploy")
        );
    }
}
