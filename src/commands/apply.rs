//! `strata apply`.

use crate::cli::ApplyArgs;
use crate::ops::apply::apply;
use crate::ops::{ApplyOptions, Console};
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(
    args: ApplyArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let options = ApplyOptions {
        to: args.to,
        phase: args.phase,
        dry_run: args.dry_run,
        resume: args.resume,
        single_transaction: args.single_transaction,
        lint: Some(settings.project.config.settings.lint),
        halt: None,
    };
    if let Some(spec) = &settings.fleet {
        return super::fleet::apply(spec, options, settings, console).await;
    }
    let session = settings.session(console.progress()).await?;
    let report = apply(&session, &options, &settings.timeouts, console.progress()).await?;
    Ok(Outcome::Apply(report))
}
