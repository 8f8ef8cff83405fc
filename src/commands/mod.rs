//! One module per subcommand, each a thin `run`: it turns the command's arguments into
//! engine options, calls the engine with the resolved [`Settings`] and returns an
//! [`Outcome`]. None resolves settings, prints or picks an exit code.

pub mod apply;
pub mod author;
pub mod baseline;
pub mod check;
pub mod diff;
pub mod fleet;
pub mod generate;
pub mod lint;
pub mod local;
pub mod repair;
pub mod rollback;
pub mod seed;
pub mod snapshot;
pub mod status;
pub mod verify;

use crate::cli::{Command, GlobalArgs};
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::settings::Settings;

/// Runs `command` with the settings resolved for it.
pub async fn run(
    command: Command,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    match command {
        Command::Apply(a) => apply::run(a, settings, console).await,
        Command::Rollback(a) => rollback::run(a, settings, console).await,
        Command::Status(_) => match &settings.fleet {
            Some(spec) => fleet::status(spec, settings, console).await,
            None => status::run(settings, console).await,
        },
        Command::Seed(a) => seed::run(a, settings, console).await,
        Command::Repair(a) => repair::run(a, settings, console).await,
        Command::Baseline(a) => baseline::run(a, settings, console).await,
        Command::Verify(a) => verify::run(a, settings, console).await,
        Command::Local(a) => local::run(a, settings, console).await,
        Command::Diff(a) => diff::run(a, settings, console).await,
        Command::Snapshot(a) => snapshot::run(a, settings, console).await,
        Command::Check(a) => check::run(a, settings, console).await,
        Command::Lint(a) => lint::run(a, settings, console).await,
        Command::Generate(a) => generate::run(a, settings, console).await,
        Command::Squash(a) => generate::squash(a, settings).await,
        Command::Init(a) if a.from_database.is_some() => {
            author::init_from_database(a, settings, console).await
        }
        Command::Init(_) | Command::New(_) | Command::Completions(_) | Command::Man => {
            anyhow::bail!("internal: init and new run without settings (commands::run_offline)")
        }
    }
}

/// Runs a command that needs no database and no settings ([`Command::is_offline`]).
pub fn run_offline(command: Command, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    match command {
        Command::Init(a) => author::init(a),
        Command::New(a) => author::new(a, global),
        Command::Completions(a) => author::completions(a),
        Command::Man => author::man(),
        _ => anyhow::bail!("internal: {command:?} needs settings"),
    }
}
