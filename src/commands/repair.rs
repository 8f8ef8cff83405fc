//! `strata repair`.

use crate::cli::RepairArgs;
use crate::ops::repair::{plan, repair, RepairReport};
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(
    args: RepairArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let session = settings.session(console.progress()).await?;
    let report = if args.dry_run {
        RepairReport {
            items: plan(&session).await?,
            repaired: false,
        }
    } else {
        repair(&session, &settings.timeouts, console).await?
    };
    Ok(Outcome::Repair(report))
}
