//! `strata status`.

use crate::ops::status::status;
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(settings: &Settings, console: &mut dyn Console) -> anyhow::Result<Outcome> {
    let session = settings.session(console.progress()).await?;
    let report = status(&session).await?;
    if report.standby {
        console.note(&standby_note(&report.database));
    }
    Ok(Outcome::Status(report))
}

/// What read-only commands say when they ran on a standby.
pub(crate) fn standby_note(target: &str) -> String {
    format!("{target} is a standby (a server in recovery): this is what it has replayed so far")
}
