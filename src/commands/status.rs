//! `strata status`.

use crate::cli::Exit;
use crate::ops::status::status;
use crate::render;
use crate::settings::{GlobalInput, Settings};

pub async fn run(input: &GlobalInput) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    let session = settings.connect("status").await?;
    let report = status(&session).await?;
    let mut out = crate::render::stdout();
    if settings.output.json {
        render::json(&mut out, &report)?;
    } else {
        render::status(&mut out, &report, settings.output.color)?;
    }
    Ok(if report.has_drift() {
        Exit::Drift
    } else {
        Exit::Ok
    })
}
