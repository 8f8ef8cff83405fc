//! `strata verify`.

use crate::cli::{Exit, VerifyArgs};
use crate::ops::verify::verify;
use crate::render;
use crate::settings::{GlobalInput, Settings};

pub async fn run(input: &GlobalInput, args: VerifyArgs) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    let timeouts = settings.timeouts(None, None)?;
    let candidates = super::diff::candidates(&settings, args.shadow_url.as_deref())?;
    let mut progress = render::progress_for(&settings.output);
    let report = verify(&settings.project, &candidates, &timeouts, progress.as_mut()).await?;
    let mut out = crate::render::stdout();
    if settings.output.json {
        render::json(&mut out, &report)?;
    } else {
        render::verify(&mut out, &report)?;
    }
    Ok(if report.failure.is_some() {
        Exit::Drift
    } else {
        Exit::Ok
    })
}
