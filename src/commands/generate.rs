//! `strata generate` and `strata squash`.

use crate::cli::{GenerateArgs, SquashArgs};
use crate::ops::generate::{generate, Desired, GenerateOptions, RenameSpec};
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(
    args: GenerateArgs,
    settings: &Settings,
    _console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let desired = match &settings.desired {
        Some(target) => Desired::Database(Box::new(target.params_for(settings.purpose))),
        None => Desired::Files(args.desired),
    };
    let renames = args
        .rename
        .iter()
        .map(|r| RenameSpec::parse(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    let options = GenerateOptions {
        name: args.name,
        phase: args.phase,
        desired,
        renames,
        allow_data_loss: args.allow_data_loss,
        dry_run: args.dry_run,
        privileges: !args.no_privileges,
    };
    let now = chrono::Utc::now().naive_utc();
    let report = generate(
        &settings.project,
        &settings.scratch_servers,
        &options,
        settings.timeouts.lock_wait,
        now,
    )
    .await?;
    Ok(Outcome::Generate(report))
}

pub async fn squash(args: SquashArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let options = crate::ops::squash::SquashOptions {
        to: args.to,
        keep_in: args.keep_in,
    };
    let report = crate::ops::squash::squash(
        &settings.project,
        &settings.scratch_servers,
        &options,
        settings.timeouts.lock_wait,
    )
    .await?;
    Ok(Outcome::Squash(report))
}
