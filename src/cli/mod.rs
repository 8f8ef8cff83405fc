//! The command line as the user typed it (the first of the two stages of settings): clap's
//! definition of `strata` ([`args`] holds every command's flags), and what each command
//! asks of the settings ([`CommandFlags`]). Nothing here connects, reads a file or prints.

pub mod args;
mod fleet;

use clap::{Parser, Subcommand};

pub use args::*;
pub use fleet::{FleetArgs, OnError};

/// strata: PostgreSQL migrations and schema management.
#[derive(Debug, Parser)]
#[command(name = "strata", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Apply(ApplyArgs),
    Rollback(RollbackArgs),
    Status(StatusArgs),
    Seed(SeedArgs),
    Repair(RepairArgs),
    Baseline(BaselineArgs),
    Verify(VerifyArgs),
    Local(LocalArgs),
    Diff(DiffArgs),
    Snapshot(SnapshotArgs),
    Check(CheckArgs),
    Lint(LintArgs),
    // Writing migrations (issue 17).
    Init(InitArgs),
    New(NewArgs),
    Completions(CompletionsArgs),
    Generate(GenerateArgs),
    Squash(SquashArgs),
    /// Print strata's man page (roff), e.g. `strata man > strata.1`
    Man,
}

/// What a connection is for: the command, shown as `strata <command>` in
/// `pg_stat_activity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Apply,
    Rollback,
    Status,
    Seed,
    Repair,
    Baseline,
    Verify,
    Local,
    Diff,
    Snapshot,
    Check,
    Lint,
    // Writing migrations (issue 17).
    Init,
    New,
    Completions,
    Man,
    Generate,
    Squash,
}

impl Purpose {
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Apply => "apply",
            Purpose::Rollback => "rollback",
            Purpose::Status => "status",
            Purpose::Seed => "seed",
            Purpose::Repair => "repair",
            Purpose::Baseline => "baseline",
            Purpose::Verify => "verify",
            Purpose::Local => "local",
            Purpose::Diff => "diff",
            Purpose::Snapshot => "snapshot",
            Purpose::Check => "check",
            Purpose::Lint => "lint",
            Purpose::Init => "init",
            Purpose::New => "new",
            Purpose::Completions => "completions",
            Purpose::Man => "man",
            Purpose::Generate => "generate",
            Purpose::Squash => "squash",
        }
    }

    /// Commands whose first act is to connect to the live database: the connection is
    /// opened while the project loads (a server process starting overlaps the loading).
    pub fn connects_first(self) -> bool {
        matches!(self, Purpose::Apply | Purpose::Rollback | Purpose::Status)
    }

    /// `strata <command>`.
    pub fn application_name(self) -> String {
        format!("strata {}", self.name())
    }
}

/// What a command adds to the global flags: its purpose and the shared flags it takes.
#[derive(Debug, Clone, Copy)]
pub struct CommandFlags<'a> {
    pub purpose: Purpose,
    pub timeouts: Option<&'a TimeoutArgs>,
    /// Given when the command makes a scratch database for the migrations.
    pub shadow: Option<&'a ShadowArgs>,
    pub confirm: Option<ConfirmArgs>,
    /// `--from` and `--to` of `diff`.
    pub compare: Option<(&'a str, &'a str)>,
    /// `generate --from-url` (the development database holding the desired schema), or
    /// `init --from-database` (the database to adopt).
    pub desired_url: Option<&'a str>,
    /// `--targets`, `--targets-query`, `--schemas` and how the fleet runs.
    pub fleet: Option<&'a FleetArgs>,
}

impl CommandFlags<'_> {
    /// A command that takes none of the shared flags.
    pub fn plain(purpose: Purpose) -> CommandFlags<'static> {
        CommandFlags {
            purpose,
            timeouts: None,
            shadow: None,
            confirm: None,
            compare: None,
            desired_url: None,
            fleet: None,
        }
    }
}

impl Command {
    /// What the command adds to the global flags, for `Settings::resolve`.
    pub fn flags(&self) -> CommandFlags<'_> {
        match self {
            Command::Apply(a) => a.flags(),
            Command::Rollback(a) => a.flags(),
            Command::Status(a) => a.flags(),
            Command::Seed(a) => a.flags(),
            Command::Repair(a) => a.flags(),
            Command::Baseline(a) => a.flags(),
            Command::Verify(a) => a.flags(),
            Command::Local(a) => a.flags(),
            Command::Diff(a) => a.flags(),
            Command::Snapshot(a) => a.flags(),
            Command::Check(a) => a.flags(),
            Command::Lint(a) => a.flags(),
            Command::Init(a) => a.flags(),
            Command::New(_) => CommandFlags::plain(Purpose::New),
            Command::Completions(_) => CommandFlags::plain(Purpose::Completions),
            Command::Man => CommandFlags::plain(Purpose::Man),
            Command::Generate(a) => a.flags(),
            Command::Squash(a) => a.flags(),
        }
    }

    /// Commands that need no database: `init` (no project yet), `new` (the project from
    /// `--project`, loaded on its own), `completions` and `man`. They run without
    /// [`crate::settings::Settings`], which would resolve a database target.
    pub fn is_offline(&self) -> bool {
        match self {
            // init --from-database reads a database and makes scratch ones.
            Command::Init(a) => a.from_database.is_none(),
            Command::New(_) | Command::Completions(_) | Command::Man => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

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
        // With a snapshot, no scratch database: the shadow flag is not resolved.
        assert!(args.flags().shadow.is_none());
        assert!(Cli::try_parse_from(["strata", "diff", "--from", "a"]).is_err());
        let cli = Cli::try_parse_from(["strata", "diff", "--from", "a", "--to", "b"]).unwrap();
        assert_eq!(cli.command.flags().compare, Some(("a", "b")));
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

    #[test]
    fn shared_flags_reach_the_settings_of_every_command_that_takes_them() {
        for (args, timeouts, shadow, confirm) in [
            (
                &["apply", "--ddl-lock-timeout", "1s"][..],
                true,
                false,
                false,
            ),
            (&["rollback", "--yes"][..], true, false, true),
            (&["seed", "--yes"][..], true, false, true),
            (&["repair", "-y"][..], true, false, true),
            (
                &["baseline", "--to", "1", "--shadow-url", "x", "--yes"][..],
                true,
                true,
                true,
            ),
            (&["verify", "--shadow-url", "x"][..], false, true, false),
            (&["diff", "--shadow-url", "x"][..], false, true, false),
            (&["snapshot", "--shadow-url", "x"][..], false, true, false),
            (&["check"][..], true, false, false),
            (&["local", "destroy", "--yes"][..], false, false, true),
            (&["status"][..], false, false, false),
        ] {
            let cli = Cli::try_parse_from(std::iter::once("strata").chain(args.iter().copied()))
                .unwrap_or_else(|e| panic!("{args:?}: {e}"));
            let flags = cli.command.flags();
            assert_eq!(flags.timeouts.is_some(), timeouts, "{args:?}");
            assert_eq!(flags.shadow.is_some(), shadow, "{args:?}");
            assert_eq!(flags.confirm.is_some_and(|c| c.yes), confirm, "{args:?}");
        }
    }
}
