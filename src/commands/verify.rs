//! `strata verify`.

use crate::cli::VerifyArgs;
use crate::ops::verify::verify;
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(
    _args: VerifyArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let report = verify(
        &settings.project,
        &settings.scratch_servers,
        &settings.timeouts,
        console.progress(),
    )
    .await?;
    Ok(Outcome::Verify(report))
}
