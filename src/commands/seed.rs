//! `strata seed`.

use crate::cli::{OnOff, SeedArgs};
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::seed::{seed, SeedOptions};
use crate::settings::Settings;

pub async fn run(
    args: SeedArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let options = SeedOptions {
        profile: args.profile,
        scale: args.scale,
        rng_seed: args.rng_seed,
        reset: args.reset,
        triggers: args.triggers.map(|t| t == OnOff::On),
        jobs: args.jobs,
    };
    let session = settings.session(console.progress()).await?;
    let report = seed(&session, &options, &settings.timeouts, console).await?;
    Ok(Outcome::Seed(report))
}
