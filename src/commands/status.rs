//! `strata status`.

use crate::ops::status::status;
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(settings: &Settings, console: &mut dyn Console) -> anyhow::Result<Outcome> {
    let session = settings.session(console.progress()).await?;
    Ok(Outcome::Status(status(&session).await?))
}
