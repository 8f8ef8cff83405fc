//! What the user typed: the flags of every command, as clap structs (doc comments are the
//! help text). The flags several commands share are one struct each — [`GlobalArgs`],
//! [`TimeoutArgs`], [`ShadowArgs`], [`ConfirmArgs`] — flattened into the commands that take
//! them, so a flag has one spelling, one help text and one environment variable everywhere.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{CommandFlags, Purpose};

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Options accepted before or after the subcommand.
#[derive(Debug, Args, Clone, Default)]
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
#[derive(Debug, Args, Clone, Default)]
pub struct TimeoutArgs {
    /// PostgreSQL lock_timeout while migrations run, so DDL on a busy table gives up fast
    /// instead of queueing traffic behind it (default from schema.toml, else 1s; 0 = none)
    #[arg(long, value_name = "DURATION")]
    pub ddl_lock_timeout: Option<String>,
    /// Times a migration that gave up on a lock is retried from its start, with jittered
    /// backoff (default from schema.toml, else 20; 0 = never)
    #[arg(long, value_name = "N")]
    pub ddl_lock_retries: Option<u32>,
    /// Total time after which no retry starts (default from schema.toml, else 5min)
    #[arg(long, value_name = "DURATION")]
    pub ddl_lock_budget: Option<String>,
    /// PostgreSQL statement_timeout while migrations run (default from schema.toml, else 0 = none)
    #[arg(long, value_name = "DURATION")]
    pub statement_timeout: Option<String>,
}

/// Where a scratch database may be made, for commands that apply the migrations to one.
#[derive(Debug, Args, Clone, Default)]
pub struct ShadowArgs {
    /// A server where a scratch database may be created for the migrations, when the
    /// live database's server refuses (default then: the local database's server)
    #[arg(
        long,
        value_name = "URL",
        env = "STRATA_SHADOW_URL",
        hide_env_values = true
    )]
    pub shadow_url: Option<String>,
}

/// Confirmation of a destructive step.
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct ConfirmArgs {
    /// Do not ask for confirmation (required without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// Apply pending migrations in order, each in its own transaction
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
    #[command(flatten)]
    pub fleet: super::FleetArgs,
}

/// Roll back applied migrations, newest first (default: one)
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
    #[command(flatten)]
    pub confirm: ConfirmArgs,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
    #[command(flatten)]
    pub fleet: super::FleetArgs,
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

/// Load reference, development or load-scale data from the project's seeds/
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
    #[command(flatten)]
    pub confirm: ConfirmArgs,
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

/// Re-record changed checksums (after showing each change) and clear partial runs
#[derive(Debug, Args)]
pub struct RepairArgs {
    #[command(flatten)]
    pub confirm: ConfirmArgs,
    /// Only show what would be repaired
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
}

/// Adopt an existing database: record migrations up to VERSION as applied, after
/// checking it has everything they make
#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Record migrations up to and including this version
    #[arg(long, value_name = "VERSION")]
    pub to: i64,
    #[command(flatten)]
    pub confirm: ConfirmArgs,
    #[command(flatten)]
    pub shadow: ShadowArgs,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
}

/// On a scratch database, apply, roll back and re-apply every migration; exit 2 at the
/// first whose down script does not undo its up
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

/// Manage the local database used when none is configured
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
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
}

/// Show every migration and whether it is applied; exit 2 if any is modified or unknown
#[derive(Debug, Args, Default)]
pub struct StatusArgs {
    #[command(flatten)]
    pub fleet: super::FleetArgs,
}

/// Compare the live schema with the one the migrations make; exit 2 on drift
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Print the SQL script that brings the live database to the expected schema
    /// (statements that can lose data are marked and come last)
    #[arg(long)]
    pub sql: bool,
    #[command(flatten)]
    pub shadow: ShadowArgs,
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
    /// Count objects of kinds strata does not compare, and differences no statement can make, as drift (exit 2)
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub fleet: super::FleetArgs,
}

/// Write the schema the migrations make to schema.snapshot.json (for diff --snapshot)
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
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

/// Prove live data keeps every constraint and invariant; exit 3 on violations
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
    /// Show every check in the text report (default: the summary and the checks that are
    /// not ok; --json always has every check)
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
    #[command(flatten)]
    pub fleet: super::FleetArgs,
}

/// Find migrations that will lock or break production: from the SQL, a traced run
/// (--trace) and the target's table sizes; exit 4 when a finding is an error
#[derive(Debug, Args)]
pub struct LintArgs {
    /// SQL files to lint (default: the pending migrations with a database URL, every
    /// migration without one)
    #[arg(value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// Also run each linted migration on a scratch database and report the locks each
    /// statement took, the rewrites, and how long each lock was held
    #[arg(long)]
    pub trace: bool,
    /// Output format (--json is the same as --format json)
    #[arg(long, value_enum, default_value_t = LintFormat::Text, value_name = "FORMAT")]
    pub format: LintFormat,
    /// Rewrite what has one safe form (CONCURRENTLY, NOT VALID + VALIDATE, SET NOT NULL
    /// through a CHECK), showing the diff first; asks on a terminal, needs --yes otherwise
    #[arg(long, conflicts_with = "files")]
    pub fix: bool,
    /// Print what a rule checks and the safe alternative (all rules with `all`)
    #[arg(long, value_name = "RULE", conflicts_with_all = ["files", "trace", "fix"])]
    pub explain: Option<String>,
    #[command(flatten)]
    pub shadow: ShadowArgs,
    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

/// How lint findings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum LintFormat {
    /// `file:line:col: severity[RULE] message`
    #[default]
    Text,
    /// One JSON document
    Json,
    /// GitHub Actions workflow annotations
    Github,
}

impl LintArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            // A scratch database only for --trace.
            shadow: self.trace.then_some(&self.shadow),
            confirm: Some(self.confirm),
            ..CommandFlags::plain(Purpose::Lint)
        }
    }
}

impl ApplyArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            timeouts: Some(&self.timeouts),
            fleet: Some(&self.fleet),
            ..CommandFlags::plain(Purpose::Apply)
        }
    }
}

impl RollbackArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            timeouts: Some(&self.timeouts),
            confirm: Some(self.confirm),
            fleet: Some(&self.fleet),
            ..CommandFlags::plain(Purpose::Rollback)
        }
    }
}

impl SeedArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            timeouts: Some(&self.timeouts),
            confirm: Some(self.confirm),
            ..CommandFlags::plain(Purpose::Seed)
        }
    }
}

impl RepairArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            timeouts: Some(&self.timeouts),
            confirm: Some(self.confirm),
            ..CommandFlags::plain(Purpose::Repair)
        }
    }
}

impl BaselineArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            timeouts: Some(&self.timeouts),
            shadow: Some(&self.shadow),
            confirm: Some(self.confirm),
            ..CommandFlags::plain(Purpose::Baseline)
        }
    }
}

impl VerifyArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            shadow: Some(&self.shadow),
            ..CommandFlags::plain(Purpose::Verify)
        }
    }
}

impl LocalArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            confirm: match self.action {
                LocalAction::Destroy { confirm } => Some(confirm),
                _ => None,
            },
            ..CommandFlags::plain(Purpose::Local)
        }
    }
}

impl DiffArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        let compare = self.from.as_deref().zip(self.to.as_deref());
        CommandFlags {
            // Scratch databases only when the expected side is the migrations.
            shadow: (compare.is_none() && self.snapshot.is_none()).then_some(&self.shadow),
            compare,
            fleet: Some(&self.fleet),
            ..CommandFlags::plain(Purpose::Diff)
        }
    }
}

impl StatusArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            fleet: Some(&self.fleet),
            ..CommandFlags::plain(Purpose::Status)
        }
    }
}

impl SnapshotArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            shadow: Some(&self.shadow),
            ..CommandFlags::plain(Purpose::Snapshot)
        }
    }
}

impl CheckArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            timeouts: Some(&self.timeouts),
            fleet: Some(&self.fleet),
            ..CommandFlags::plain(Purpose::Check)
        }
    }
}

// ---- Writing migrations (issue 17): init, new ----

/// Make a new project: schema.toml, migrations/1_main/, seeds/, checks.toml, .gitignore
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the project (made if missing); default: the current folder
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// The project's name (lower case, digits, _); default: the folder's name
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Adopt an existing database: the first migration is its schema (up: empty → live,
    /// down: live → empty), proven on a scratch database before anything is written
    #[arg(long, value_name = "URL")]
    pub from_database: Option<String>,
    /// Then record the first migration as applied on that database without running it
    /// (`strata baseline`; offered on a terminal anyway; without one it needs --yes)
    #[arg(long, requires = "from_database")]
    pub baseline: bool,
    /// Leave owners and grants out of the first migration
    #[arg(long, requires = "from_database")]
    pub no_privileges: bool,
    /// One migration per kind instead of one: extensions and types, tables, indexes,
    /// functions and triggers, views, grants (each proven as a set like the one)
    #[arg(long, value_enum, value_name = "HOW", requires = "from_database")]
    pub split_by: Option<SplitBy>,
    #[command(flatten)]
    pub confirm: ConfirmArgs,
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

/// How `init --from-database --split-by` cuts the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitBy {
    /// One migration per kind of object
    Kind,
}

impl InitArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            shadow: self.from_database.is_some().then_some(&self.shadow),
            confirm: Some(self.confirm),
            desired_url: self.from_database.as_deref(),
            ..CommandFlags::plain(Purpose::Init)
        }
    }
}

/// Write the next migration pair (up and down) of the project given by --project
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What the migration does, as the file name's description (lower case, digits, _)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The phase, by number or name; default: the last phase
    #[arg(long, value_name = "PHASE", conflicts_with = "new_phase")]
    pub phase: Option<String>,
    /// Mark the scripts `-- strata:no-transaction` (for CREATE INDEX CONCURRENTLY and the like)
    #[arg(long)]
    pub no_transaction: bool,
    /// Add a phase after the last one (schema.toml entry and folder) and write the migration in it
    #[arg(long, value_name = "PHASE_NAME")]
    pub new_phase: Option<String>,
}

/// Print a shell completion script (e.g. `strata completions bash > /etc/bash_completion.d/strata`)
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

// ---- Writing migrations (issue 17): generate ----

/// Write the next migration pair from a schema change, verified before it is written
///
/// The up script turns what the migrations make into the desired schema (--from-url: a
/// development database; --desired: SQL files applied to a scratch database), the down
/// script turns it back. On a scratch database, up must give the desired schema, down the
/// current one and up again the desired one, or nothing is written. Renames cannot be told
/// from the catalog (a renamed column looks like one dropped and one added): name them with
/// --rename
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What the migration does, as the file name's description (lower case, digits, _)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The phase, by number or name; default: the last phase
    #[arg(long, value_name = "PHASE")]
    pub phase: Option<String>,
    /// The desired schema is this development database, changed by hand
    #[arg(
        long,
        value_name = "DEV_URL",
        required_unless_present = "desired",
        conflicts_with = "desired"
    )]
    pub from_url: Option<String>,
    /// The desired schema is what these SQL files make, applied in order to a scratch database
    #[arg(long, value_name = "FILE.sql", num_args = 1.., action = clap::ArgAction::Append)]
    pub desired: Vec<PathBuf>,
    /// A table or column renamed, not dropped and added: TABLE.OLD=NEW (a column of
    /// public.TABLE), SCHEMA.TABLE=NEWNAME (a table), SCHEMA.TABLE.COLUMN=NEW; may be repeated
    #[arg(long, value_name = "OLD=NEW", action = clap::ArgAction::Append)]
    pub rename: Vec<String>,
    /// Write an up script with statements that can lose data (they are marked `-- DATA LOSS`)
    #[arg(long)]
    pub allow_data_loss: bool,
    /// Compare and generate without owners and grants
    #[arg(long)]
    pub no_privileges: bool,
    /// Print the pair (verified) and write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

impl GenerateArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            shadow: Some(&self.shadow),
            desired_url: self.from_url.as_deref(),
            ..CommandFlags::plain(Purpose::Generate)
        }
    }
}

// ---- Writing migrations (issue 17): squash ----

/// Replace the migrations up to VERSION with one generated migration, proven equal first
///
/// The new migration is built from what those migrations make on a scratch database (as
/// init --from-database builds its first) and takes VERSION; its first line lists every
/// version it replaces, so a database that ran them shows a clean status and apply runs
/// nothing there. The old files are moved into --keep-in DIR, or deleted with --yes
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("old_files").required(true).args(["keep_in", "yes"]))]
pub struct SquashArgs {
    /// The last migration to replace
    #[arg(long, value_name = "VERSION")]
    pub to: i64,
    /// Move the replaced files into this folder (by phase folder) instead of deleting them
    #[arg(long, value_name = "DIR")]
    pub keep_in: Option<PathBuf>,
    /// Delete the replaced files
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

impl SquashArgs {
    pub fn flags(&self) -> CommandFlags<'_> {
        CommandFlags {
            shadow: Some(&self.shadow),
            ..CommandFlags::plain(Purpose::Squash)
        }
    }
}
