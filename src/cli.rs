//! The command line: clap definitions (doc comments are the help text), dispatch to the
//! command modules, and the one place errors become exit codes.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands;
use crate::settings::{ColorChoice, GlobalInput};

/// Exit codes: one place decides them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// An error.
    Error = 1,
    /// Drift found (status, diff).
    Drift = 2,
    /// Constraint violations (check).
    Violations = 3,
}

/// strata: PostgreSQL migrations and schema management.
#[derive(Debug, Parser)]
#[command(name = "strata", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after the subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Project directory (schema.toml, migrations/, seeds/); default: the embedded VRSS project
    #[arg(long, global = true, env = "STRATA_PROJECT", value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Database URL (postgres://user:password@host:port/db?sslmode=...) or key=value string;
    /// default: DATABASE_URL, then the PG* variables, then the local database
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// How long to wait for strata's lock held by another run (e.g. 60s, 500ms)
    #[arg(long, global = true, value_name = "DURATION")]
    pub lock_timeout: Option<String>,
    /// Print the result as JSON on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// When to use colours (NO_COLOR is honoured in auto)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Timeouts for commands that change the schema.
#[derive(Debug, Args, Clone)]
pub struct TimeoutArgs {
    /// PostgreSQL lock_timeout while migrations run, so DDL on a busy table fails fast
    /// instead of queueing traffic behind it (default from schema.toml, else 10s; 0 = none)
    #[arg(long, value_name = "DURATION")]
    pub ddl_lock_timeout: Option<String>,
    /// PostgreSQL statement_timeout while migrations run (default from schema.toml, else 0 = none)
    #[arg(long, value_name = "DURATION")]
    pub statement_timeout: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations in order, each in its own transaction
    Apply(ApplyArgs),
    /// Roll back applied migrations, newest first (default: one)
    Rollback(RollbackArgs),
    /// Show every migration and whether it is applied; exit 2 if any is modified or unknown
    Status,
    /// Load reference, development or load-scale data from the project's seeds/
    Seed(SeedArgs),
    /// Re-record changed checksums (after showing each change) and clear partial runs
    Repair(RepairArgs),
    /// Adopt an existing database: record migrations up to VERSION as applied, after
    /// checking it has everything they make
    Baseline(BaselineArgs),
    /// On a scratch database, apply, roll back and re-apply every migration; exit 2 at the
    /// first whose down script does not undo its up
    Verify(VerifyArgs),
    /// Manage the local database used when none is configured
    Local(LocalArgs),
    /// Compare the live schema with the one the migrations make; exit 2 on drift
    Diff(DiffArgs),
    /// Write the schema the migrations make to schema.snapshot.json (for diff --snapshot)
    Snapshot(SnapshotArgs),
    /// Prove live data keeps every constraint and invariant; exit 3 on violations
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Print the SQL script that brings the live database to the expected schema
    /// (statements that can lose data are marked and come last)
    #[arg(long)]
    pub sql: bool,
    /// A server where a scratch database may be created for the migrations, when the
    /// live database's server refuses (default then: the local database's server)
    #[arg(
        long,
        value_name = "URL",
        env = "STRATA_SHADOW_URL",
        hide_env_values = true
    )]
    pub shadow_url: Option<String>,
    /// Leave out objects whose qualified name matches this glob (`audit.*`,
    /// `public.tmp_*`); may be repeated
    #[arg(long, value_name = "PATTERN", num_args = 1.., action = clap::ArgAction::Append)]
    pub exclude: Vec<String>,
    /// Compare with the project's schema.snapshot.json (or FILE) instead of building the
    /// expected schema on a scratch database
    #[arg(long, value_name = "FILE", num_args = 0..=1, conflicts_with_all = ["shadow_url", "from"])]
    pub snapshot: Option<Option<PathBuf>>,
    /// Compare two live databases: the one to migrate from (reported as live)...
    #[arg(
        long,
        value_name = "URL",
        requires = "to",
        conflicts_with = "shadow_url"
    )]
    pub from: Option<String>,
    /// ...and the one to reach (reported as expected); --sql turns FROM into TO
    #[arg(long, value_name = "URL", requires = "from")]
    pub to: Option<String>,
    /// Compare owners and grants too
    #[arg(long)]
    pub privileges: bool,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Where to write the snapshot (`-` for stdout); default: schema.snapshot.json in the
    /// project directory (stdout for the embedded project)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Do not write: exit 2 when the existing snapshot differs from what the migrations
    /// make now
    #[arg(long)]
    pub check: bool,
    /// A server where a scratch database may be created, when the configured one refuses
    #[arg(
        long,
        value_name = "URL",
        env = "STRATA_SHADOW_URL",
        hide_env_values = true
    )]
    pub shadow_url: Option<String>,
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Record migrations up to and including this version
    #[arg(long, value_name = "VERSION")]
    pub to: i64,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Server for the scratch database when the live one does not allow it
    #[arg(long, value_name = "URL")]
    pub shadow_url: Option<String>,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Server for the scratch database when the live one does not allow it
    #[arg(long, value_name = "URL")]
    pub shadow_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct RepairArgs {
    /// Do not ask for confirmation (required without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Only show what would be repaired
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Run only these checks (exact names, or a prefix ending in `*`, e.g. 'fk:*')
    #[arg(long, num_args = 1.., value_name = "NAME")]
    pub only: Vec<String>,
    /// Repair what can be repaired (every failing check's fix, in one transaction), then
    /// check again
    #[arg(long)]
    pub fix: bool,
    /// Checks run at once, each on its own connection (default: the number of CPUs)
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// List the checks and what each verifies, without running them
    #[arg(long)]
    pub list: bool,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Seed profile: reference (subscription tiers; safe in production), dev, load
    #[arg(long, default_value = "reference", value_name = "NAME")]
    pub profile: String,
    /// Multiplies the load profile's row counts (1 = 100K users, 500K posts, ...)
    #[arg(long, default_value_t = 1.0, value_name = "N")]
    pub scale: f64,
    /// Seed of the random generator: the same seed gives byte-identical data
    #[arg(long, value_name = "N")]
    pub rng_seed: Option<u64>,
    /// Empty the seeded tables first (asks on a terminal; needs --yes otherwise)
    #[arg(long)]
    pub reset: bool,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Keep triggers on while rows go in (default: the profile's setting; load turns them
    /// off and recomputes counters in bulk)
    #[arg(long, value_enum, value_name = "ON|OFF")]
    pub triggers: Option<OnOff>,
    /// Spread a bulk load over N connections, as pg_restore -j does: faster, but not one
    /// transaction (a failure empties the seeded tables and puts their keys back)
    #[arg(long, short = 'j', default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: u32,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Apply up to and including this version
    #[arg(long, value_name = "VERSION")]
    pub to: Option<i64>,
    /// Apply up to the end of this phase (1 = first phase)
    #[arg(long, value_name = "N")]
    pub phase: Option<u32>,
    /// Print the SQL that would run and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Go on with a non-transactional migration that stopped part-way, at the statement
    /// after the last that completed (after you fixed what made it fail)
    #[arg(long)]
    pub resume: bool,
    /// Apply every pending migration in one transaction: all of them or none (refused if
    /// one is marked no-transaction)
    #[arg(long, conflicts_with_all = ["resume", "dry_run"])]
    pub single_transaction: bool,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").args(["steps", "to", "phase", "all"])))]
pub struct RollbackArgs {
    /// Roll back this many migrations (default 1)
    #[arg(long, value_name = "N")]
    pub steps: Option<usize>,
    /// Roll back everything newer than VERSION (VERSION stays applied)
    #[arg(long, value_name = "VERSION")]
    pub to: Option<i64>,
    /// Undo phase N and every later phase
    #[arg(long, value_name = "N")]
    pub phase: Option<u32>,
    /// Roll back every migration
    #[arg(long)]
    pub all: bool,
    /// Print the SQL that would run and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
}

#[derive(Debug, Args)]
pub struct LocalArgs {
    #[command(subcommand)]
    pub action: LocalAction,
}

#[derive(Debug, Subcommand, Clone, Copy)]
pub enum LocalAction {
    /// Create (if needed) and start the local database
    Start {
        /// Also listen on 127.0.0.1 at this port (with the superuser's password) for tools
        /// that cannot use a Unix socket; remembered until `local destroy` once the server
        /// started with it
        #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
        tcp_port: Option<u16>,
    },
    /// Stop the local database
    Stop,
    /// Show where the local database is and whether it runs
    Status,
    /// Print the local database's URL (without the password: psql and other libpq tools
    /// read it from the file `local status` names, via PGPASSFILE)
    Url {
        /// Include the superuser's password, for tools that cannot read a password file
        #[arg(long)]
        with_password: bool,
    },
    /// Stop the local database and delete its files
    Destroy {
        /// Do not ask for confirmation (required without a terminal)
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

impl GlobalArgs {
    fn input(&self) -> GlobalInput {
        GlobalInput {
            project: self.project.clone(),
            database_url: self.database_url.clone(),
            lock_timeout: self.lock_timeout.clone(),
            json: self.json,
            color: self.color,
            early_connect: None,
        }
    }
}

/// Parses the command line, runs the command and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are not errors; usage errors exit 1 (2 means drift).
            let code = if e.use_stderr() {
                Exit::Error
            } else {
                Exit::Ok
            };
            if e.use_stderr() {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or("invalid arguments");
                eprintln!("{} (see strata --help)", first.trim_end());
            } else {
                let _ = e.print();
            }
            return code as i32;
        }
    };
    let json = cli.global.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return Exit::Error as i32;
        }
    };
    let mut input = cli.global.input();
    input.early_connect = match &cli.command {
        Command::Apply(_) => Some("apply"),
        Command::Rollback(_) => Some("rollback"),
        Command::Status => Some("status"),
        _ => None,
    };
    let result = runtime.block_on(async move {
        let command = run(cli.command, input);
        tokio::pin!(command);
        let result = tokio::select! {
            r = &mut command => r,
            signal = interrupted() => {
                // The server goes on with a query whose client has gone until it next
                // talks to it: cancel what runs, so its transaction rolls back and the
                // session (and strata's lock) ends now. The command then reports what the
                // cancel left (a rolled-back transaction, or the statements of a
                // no-transaction migration that took effect), as it reports a failure.
                crate::interrupt::raise(signal);
                crate::conn::cancel_running().await;
                let grace = tokio::time::sleep(std::time::Duration::from_secs(10));
                tokio::select! {
                    r = &mut command => match r {
                        Err(e) => Err(e.context(format!("interrupted by {signal}"))),
                        Ok(_) => Err(anyhow::anyhow!("interrupted by {signal} as the command finished")),
                    },
                    _ = grace => Err(anyhow::anyhow!("interrupted by {signal}: the running query was cancelled")),
                    again = interrupted() => Err(anyhow::anyhow!("interrupted by {signal} and {again}: the running query was cancelled")),
                }
            }
        };
        // A run cut short (error or Ctrl-C) may leave a scratch database behind.
        crate::ops::shadow::drop_leftovers().await;
        result
    });
    report(result, json)
}

/// Maps the result to an exit code, writing an error as one line on stderr (and as JSON on
/// stdout with `--json`, unless stdout is what failed). Writing never panics.
fn report(result: anyhow::Result<Exit>, json: bool) -> i32 {
    use std::io::Write as _;
    for notice in crate::ops::shadow::take_notices() {
        let _ = writeln!(std::io::stderr(), "strata: {notice}");
    }
    let error = match result {
        Ok(exit) => match std::io::stdout().flush() {
            Ok(()) => return exit as i32,
            Err(e) => anyhow::Error::new(crate::render::StdoutFailed::wrap(e)),
        },
        Err(e) => e,
    };
    if is_broken_pipe(&error) {
        return Exit::Ok as i32;
    }
    let stdout_failed = error.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .is_some_and(|inner| inner.is::<crate::render::StdoutFailed>())
    });
    let message = format!("{error:#}");
    if json && !stdout_failed {
        let body = serde_json::json!({ "error": message });
        let _ = writeln!(std::io::stdout(), "{body}");
    }
    let _ = writeln!(std::io::stderr(), "error: {message}");
    Exit::Error as i32
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, naming it.
async fn interrupted() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            return "SIGINT";
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => "SIGINT",
        _ = term.recv() => "SIGTERM",
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

async fn run(command: Command, input: GlobalInput) -> anyhow::Result<Exit> {
    match command {
        Command::Apply(args) => commands::apply::run(&input, args).await,
        Command::Rollback(args) => commands::rollback::run(&input, args).await,
        Command::Status => commands::status::run(&input).await,
        Command::Seed(args) => commands::seed::run(&input, args).await,
        Command::Repair(args) => commands::repair::run(&input, args).await,
        Command::Baseline(args) => commands::baseline::run(&input, args).await,
        Command::Verify(args) => commands::verify::run(&input, args).await,
        Command::Local(args) => commands::local::run(&input, args.action).await,
        Command::Diff(args) => commands::diff::run(&input, args).await,
        Command::Snapshot(args) => commands::snapshot::run(&input, args).await,
        Command::Check(args) => commands::check::run(&input, args).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_before_or_after_the_subcommand() {
        let before = Cli::try_parse_from([
            "strata",
            "--json",
            "--project",
            "/p",
            "--lock-timeout",
            "5s",
            "status",
        ])
        .unwrap();
        let after = Cli::try_parse_from([
            "strata",
            "status",
            "--json",
            "--project",
            "/p",
            "--lock-timeout",
            "5s",
        ])
        .unwrap();
        for cli in [before, after] {
            assert!(cli.global.json);
            assert_eq!(cli.global.project, Some(PathBuf::from("/p")));
            assert_eq!(cli.global.lock_timeout.as_deref(), Some("5s"));
        }
    }

    #[test]
    fn diff_options_combine_as_documented() {
        let cli = Cli::try_parse_from([
            "strata",
            "diff",
            "--exclude",
            "audit.*",
            "public.tmp_*",
            "--sql",
        ])
        .unwrap();
        let Command::Diff(args) = cli.command else {
            panic!("diff")
        };
        assert_eq!(args.exclude, ["audit.*", "public.tmp_*"]);
        assert!(args.sql);
        let cli = Cli::try_parse_from(["strata", "diff", "--snapshot"]).unwrap();
        let Command::Diff(args) = cli.command else {
            panic!("diff")
        };
        assert_eq!(args.snapshot, Some(None));
        assert!(Cli::try_parse_from(["strata", "diff", "--from", "a"]).is_err());
        assert!(Cli::try_parse_from(["strata", "diff", "--from", "a", "--to", "b"]).is_ok());
        assert!(
            Cli::try_parse_from(["strata", "diff", "--snapshot", "--from", "a", "--to", "b"])
                .is_err()
        );
    }

    #[test]
    fn rollback_targets_are_exclusive() {
        assert!(Cli::try_parse_from(["strata", "rollback", "--all", "--steps", "2"]).is_err());
        assert!(Cli::try_parse_from(["strata", "rollback", "--phase", "2", "--yes"]).is_ok());
    }
}
