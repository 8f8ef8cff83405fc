//! `strata baseline`.

use crate::cli::BaselineArgs;
use crate::ops::baseline::baseline;
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(
    args: BaselineArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let session = settings.session(console.progress()).await?;
    let report = baseline(
        &session,
        args.to,
        &settings.scratch_servers,
        &settings.timeouts,
        console,
    )
    .await?;
    Ok(Outcome::Baseline(report))
}
